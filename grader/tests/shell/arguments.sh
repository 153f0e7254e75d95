#!/bin/sh
# Exercise 01 as a shell script that fails on purpose, to show what reaches a --cmd
# program: it prints its arguments and the address's parts on stderr, then exits 1.
printf 'args=%s|' "$@" >&2
printf 'host=%s port_set=%s user_is_db=%s url_plain=%s\n' "$MYSQL_HOST" "${MYSQL_PORT:+yes}" \
	"$([ "$MYSQL_USER" = "$MYSQL_DATABASE" ] && echo yes)" \
	"$(case "$DATABASE_URL" in *'?'*) echo no ;; mysql://*) echo yes ;; esac)" >&2
exit 1
