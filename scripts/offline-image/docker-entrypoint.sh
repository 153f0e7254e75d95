#!/usr/bin/env bash
# Entrypoint of the offline MariaDB image built by scripts/build-offline-image.sh.
#
# It behaves like the official mysql/mariadb images as far as a client can
# tell:
#   * `docker run IMAGE --some-option`    -> mariadbd --some-option
#   * `docker run IMAGE mariadbd|mysqld`  -> on first start (no `mysql` system
#     database in /var/lib/mysql) the data directory is initialised and the
#     root account is set up from the environment, then mariadbd is exec'd
#     as PID 1 (so `docker stop` shuts it down cleanly);
#   * any other command (`mysql -h ... -e ...`, `sleep infinity`, `bash`) is
#     exec'd as is, so the same image also serves as a client host in a lab.
#
# Environment (MARIADB_* spellings are accepted too, e.g. MARIADB_ROOT_PASSWORD):
#   MYSQL_ROOT_PASSWORD         password of 'root'@'localhost' and 'root'@'%'
#   MYSQL_ALLOW_EMPTY_PASSWORD  any non-empty value: allow root without password
#   MYSQL_RANDOM_ROOT_PASSWORD  any non-empty value: generate one and print it
#   MYSQL_DATABASE              database to create
#   MYSQL_USER, MYSQL_PASSWORD  account 'USER'@'%' to create; it gets all
#                               privileges on MYSQL_DATABASE when that is set
# As in the official images these are only used when the data directory is
# initialised; a container restarted on an existing data directory keeps the
# accounts it has.
#
# Configuration: /etc/mysql/mariadb.conf.d/*.cnf, read in alphabetical order.
# The image's 90-container.cnf sets bind-address = 0.0.0.0; a file mounted as
# 99-learner.cnf overrides it (nothing is forced on the command line).
set -euo pipefail

readonly DATADIR=/var/lib/mysql
readonly RUNDIR=/run/mysqld

log() { printf '%s [Entrypoint]: %s\n' "$(date '+%F %T')" "$*"; }
die() { printf '%s [Entrypoint] ERROR: %s\n' "$(date '+%F %T')" "$*" >&2; exit 1; }

# env_var NAME: value of MYSQL_NAME, else MARIADB_NAME, else empty.
env_var() {
	local mysql_name="MYSQL_$1" mariadb_name="MARIADB_$1"
	printf '%s' "${!mysql_name:-${!mariadb_name:-}}"
}

# sql_string VALUE: VALUE as a single-quoted SQL string literal (backslashes
# doubled, quotes doubled; the init file turns NO_BACKSLASH_ESCAPES off).
sql_string() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\'/\'\'}
	printf "'%s'" "$s"
}

# sql_ident VALUE: VALUE as a back-quoted SQL identifier.
sql_ident() {
	local bq='`'
	printf '%s%s%s' "$bq" "${1//$bq/$bq$bq}" "$bq"
}

# True when the arguments ask mariadbd for help/version only (no server start).
wants_help() {
	local arg
	for arg; do
		case $arg in
			-'?' | --help | -V | --version | --print-defaults | --verbose=help) return 0 ;;
		esac
	done
	return 1
}

# Writes the SQL that sets up the accounts of a freshly initialised data
# directory to the file $1 (one statement per line).
write_init_sql() {
	local file=$1 root_password database user password
	root_password=$(env_var ROOT_PASSWORD)
	database=$(env_var DATABASE)
	user=$(env_var USER)
	password=$(env_var PASSWORD)

	if [[ -z $root_password && -n $(env_var RANDOM_ROOT_PASSWORD) ]]; then
		root_password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true)
		log "GENERATED ROOT PASSWORD: $root_password"
	fi

	local pw
	pw=$(sql_string "$root_password")
	{
		# mariadb-install-db --cross-bootstrap creates ''@localhost,
		# root@127.0.0.1 and root@::1: keep only root@localhost, add root@%.
		echo "SET SESSION sql_mode = '';"
		echo "DROP USER IF EXISTS ''@'localhost', 'root'@'127.0.0.1', 'root'@'::1';"
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $pw;"
		echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $pw;"
		echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
		if [[ -n $database ]]; then
			echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$database");"
		fi
		if [[ -n $user ]]; then
			echo "CREATE USER IF NOT EXISTS $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
			if [[ -n $database ]]; then
				echo "GRANT ALL PRIVILEGES ON $(sql_ident "$database").* TO $(sql_string "$user")@'%';"
			fi
		fi
		echo "FLUSH PRIVILEGES;"
	} >"$file"
}

# Initialises an empty data directory and writes the SQL that sets up its
# accounts to a private file, whose path it stores in INIT_FILE.
INIT_FILE=
initialise_datadir() {
	if [[ -z $(env_var ROOT_PASSWORD) && -z $(env_var ALLOW_EMPTY_PASSWORD) \
		&& -z ${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-} && -z $(env_var RANDOM_ROOT_PASSWORD) ]]; then
		die "Database is uninitialized and password option is not specified.
    You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD
    (e.g. docker run -e MYSQL_ROOT_PASSWORD=secret ...)."
	fi
	local user
	user=$(env_var USER)
	if [[ $user == root ]]; then
		die "MYSQL_USER=root is not allowed: use MYSQL_ROOT_PASSWORD for the root account."
	fi
	if [[ -n $user && -z $(env_var PASSWORD) ]]; then
		die "MYSQL_USER is set but MYSQL_PASSWORD is not."
	fi

	log "Initializing database files in $DATADIR"
	# --cross-bootstrap: no accounts for the container's (random) host name.
	local out
	if ! out=$(mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
		--auth-root-authentication-method=normal --cross-bootstrap 2>&1); then
		printf '%s\n' "$out" >&2
		die "mariadb-install-db failed"
	fi
	log "Database files initialized"

	local tmpdir
	tmpdir=$(mktemp -d)
	chmod 700 "$tmpdir"
	INIT_FILE="$tmpdir/init.sql"
	(umask 077 && write_init_sql "$INIT_FILE")
	chmod 600 "$INIT_FILE"
	chown -R mysql:mysql "$tmpdir"
}

main() {
	# `docker run IMAGE --character-set-server=utf8mb4` starts the server.
	if [[ $# -eq 0 || ${1:0:1} == - ]]; then
		set -- mariadbd "$@"
	fi

	case $1 in
		mariadbd | mysqld) shift ;;
		*) exec "$@" ;;
	esac

	if wants_help "$@"; then
		exec mariadbd "$@"
	fi

	if [[ $(id -u) -ne 0 ]]; then
		die "the server must be started as root (it drops to the mysql user itself)."
	fi

	mkdir -p "$RUNDIR" "$DATADIR"
	chown mysql:mysql "$RUNDIR"
	chmod 755 "$RUNDIR"
	# A volume mounted on the data directory may belong to anybody.
	find "$DATADIR" \! -user mysql -exec chown mysql:mysql '{}' +

	local init_args=()
	if [[ ! -d $DATADIR/mysql ]]; then
		initialise_datadir
		init_args=(--init-file="$INIT_FILE")
	else
		log "Database directory $DATADIR already contains a system database: skipping initialization"
	fi

	log "Starting mariadbd"
	exec mariadbd --user=mysql "${init_args[@]}" "$@"
}

main "$@"
