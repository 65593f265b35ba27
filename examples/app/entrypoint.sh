#!/bin/sh
# greet: print the built message; serve: the site on :8080 (busybox httpd); anything else runs as is.
case "$1" in
  greet) cat /app/message.txt; echo "$GREETING (user $(id -u), in $(pwd))" ;;
  serve) exec httpd -f -p 8080 -h /app ;;
  *) exec "$@" ;;
esac
