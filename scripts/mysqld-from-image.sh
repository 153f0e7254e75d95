#!/usr/bin/env bash
# mysqld-from-image.sh: a `mysqld` for the grader's local backend, taken from a
# server image, for machines whose own packages carry another server (or none).
#
# Usage: scripts/mysqld-from-image.sh [IMAGE] DIR
#
#   IMAGE  default mysql-course/server:mysql (scripts/build-offline-image.sh
#          --flavour mysql builds it)
#   DIR    where the image's files go (DIR/root) and the program to use (DIR/mysqld)
#
# The image's mysqld needs its own C library and shared libraries (Debian sid's are
# newer than a stable release's), so DIR/mysqld is a small wrapper that starts it
# through the image's dynamic loader, with the image's libraries, base folder,
# messages and plugins. Use it as
#
#   GRADER_MYSQLD=DIR/mysqld cargo grader check --backend local
#
# Prints the GRADER_MYSQLD line to use. Needs a running Docker daemon, and about
# 700 MB in DIR.
set -euo pipefail

die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

case ${1:-} in -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" | sed '$d'; exit 0 ;; esac
[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 [IMAGE] DIR (see --help)"
if [[ $# -eq 2 ]]; then image=$1 dir=$2; else image=mysql-course/server:mysql dir=$1; fi

docker image inspect "$image" >/dev/null 2>&1 ||
	die "no image $image here: build it first (scripts/build-offline-image.sh --flavour mysql, as root or with sudo)"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
root=$dir/root
loader=lib64/ld-linux-x86-64.so.2

container=$(docker create "$image")
trap 'docker rm -f "$container" >/dev/null 2>&1 || true' EXIT
rm -rf "$root"
mkdir -p "$root"
# Device nodes cannot be made without root, and mysqld needs none of them.
docker export "$container" | tar -x -C "$root" --exclude='dev/*' --no-same-owner 2>/dev/null || true
[[ -x $root/usr/sbin/mysqld ]] || die "$image has no /usr/sbin/mysqld: is it the mysql flavour?"
[[ -e $root/$loader ]] || die "$image has no /$loader: only x86_64 images are supported"

cat >"$dir/mysqld" <<EOF
#!/bin/sh
# Written by scripts/mysqld-from-image.sh from $image: the image's mysqld, started
# through the image's own loader and libraries. Debian's build reads files only from
# /var/lib/mysql-files unless told otherwise.
R='$root'
exec "\$R/$loader" --library-path "\$R/lib/x86_64-linux-gnu:\$R/usr/lib/x86_64-linux-gnu" \\
	"\$R/usr/sbin/mysqld" "\$@" --basedir="\$R/usr" --lc-messages-dir="\$R/usr/share/mysql" \\
	--plugin-dir="\$R/usr/lib/mysql/plugin" --secure-file-priv=""
EOF
chmod 755 "$dir/mysqld"
version=$("$dir/mysqld" --version 2>/dev/null) || die "the extracted mysqld does not run: $("$dir/mysqld" --version 2>&1 | tail -n 1)"
echo "${version}"
echo "GRADER_MYSQLD=$dir/mysqld"
