using System.Formats.Tar;
using ContainerPS.Engine.Interop;

namespace ContainerPS.Engine.Archive;

public sealed partial class LayerExtractor
{
    private sealed partial class Extraction
    {
        /// <summary><c>parent/.wh.name</c>: hide or delete <c>parent/name</c>.</summary>
        private void ApplyWhiteout(string parent, string target, string name, TarEntry entry)
        {
            if (target.Length == 0 || target is "." or "..") throw Invalid(name, "is a whiteout of an invalid name");
            var relative = parent.Length == 0 ? target : parent + "/" + target;
            if (_mode == WhiteoutMode.Overlay)
            {
                var error = _root.CreateParents(relative, ImplicitDirectoryMode, Written);
                if (error != SafePathError.None) throw Refused(error, name);
                var full = _root.FullPath(relative);
                FileSystem.RemoveAll(full);
                // overlayfs whiteout: a character device 0:0 (Documentation/filesystems/overlayfs.rst).
                FileSystem.MakeNode(full, FileStatus.S_IFCHR, 0);
                FileSystem.LChown(full, entry.Uid, entry.Gid);
                _written.Add(relative);
            }
            else
            {
                var error = _root.CheckParents(relative);
                if (error != SafePathError.None) throw Refused(error, name);
                FileSystem.RemoveAll(_root.FullPath(relative)); // never follows symlinks; missing is fine
            }
        }

        /// <summary><c>dir/.wh..wh..opq</c>: the lower layers' content of <c>dir</c> is hidden.</summary>
        private void ApplyOpaque(string directory, string name)
        {
            if (_mode == WhiteoutMode.Overlay)
            {
                var error = _root.CreateDirectory(directory, ImplicitDirectoryMode, Written);
                if (error != SafePathError.None) throw Refused(error, name);
                FileSystem.SetXattr(_root.FullPath(directory), OverlayOpaqueXattr, "y"u8);
            }
            else
            {
                var error = _root.CheckDirectory(directory);
                if (error != SafePathError.None) throw Refused(error, name);
                var full = _root.FullPath(directory);
                if (FileSystem.TryLStat(full, out var status) && status.IsDirectory) RemoveNotWritten(directory, full);
            }
        }

        /// <summary>
        /// Deletes what the lower layers left under a directory, keeping what this layer wrote
        /// (entries may precede the opaque marker in the tar). Walks with lstat only.
        /// </summary>
        private void RemoveNotWritten(string relative, string full)
        {
            foreach (var child in Directory.GetFileSystemEntries(full))
            {
                var childName = Path.GetFileName(child);
                var childRelative = relative.Length == 0 ? childName : relative + "/" + childName;
                if (!_written.Contains(childRelative))
                {
                    FileSystem.RemoveAll(child);
                }
                else if (FileSystem.TryLStat(child, out var status) && status.IsDirectory)
                {
                    RemoveNotWritten(childRelative, child);
                }
            }
        }
    }
}
