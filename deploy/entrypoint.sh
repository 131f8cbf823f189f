#!/bin/sh
# Volumes (Fly.io, `docker run -v`) are mounted owned by root: give DATA_DIR to the app's
# user, then run the command as that user. Started as another user, it just runs the command.
set -eu
if [ "$(id -u)" = "0" ]; then
  mkdir -p "$DATA_DIR"
  chown crowdsource:crowdsource "$DATA_DIR"
  exec setpriv --reuid=crowdsource --regid=crowdsource --init-groups -- "$@"
fi
exec "$@"
