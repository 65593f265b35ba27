#!/bin/sh
# The "compiler" of the example app: renders the site and a message from the sources.
set -e
version=$1
mkdir -p out
sed "s/@VERSION@/$version/" index.html.in > out/index.html
echo "example app $version, built from $(ls | wc -l) source files" > out/message.txt
