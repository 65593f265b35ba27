#!/usr/bin/env python3
"""Writes the reference build context of bench/build into DIR (deterministic content):
2000 small files (100 directories x 20 files, 200 B - 4 KiB each), one 50 MiB file of
pseudo-random bytes, and the Dockerfile (FROM busybox, ENV/WORKDIR/LABEL, two COPYs,
3 RUN steps, CMD)."""
import os, random, sys

d = sys.argv[1]
rng = random.Random(42)
for i in range(100):
    sub = os.path.join(d, "files", f"d{i:03}")
    os.makedirs(sub, exist_ok=True)
    for j in range(20):
        with open(os.path.join(sub, f"f{j:02}.txt"), "wb") as f:
            f.write(rng.randbytes(rng.randint(200, 4096)))
with open(os.path.join(d, "big.bin"), "wb") as f:
    for _ in range(50):
        f.write(rng.randbytes(1 << 20))
with open(os.path.join(d, "Dockerfile"), "w") as f:
    f.write("""FROM busybox
ENV APP_HOME=/app APP_ENV=production
WORKDIR /app
LABEL org.example.bench=build org.example.version=1
COPY files/ /app/files/
COPY big.bin /app/big.bin
RUN find /app/files -type f | wc -l > /app/count
RUN md5sum /app/big.bin > /app/big.md5
RUN echo ready > /app/ready
CMD ["cat", "/app/count"]
""")
