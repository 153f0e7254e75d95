#!/usr/bin/env bash
# Entrypoint of the offline images built by scripts/build-offline-image.sh, for
# both flavours: MariaDB (mariadbd) and Oracle MySQL (mysqld). The flavour is
# the server the image holds.
#
# It behaves like the official mysql/mariadb images as far as a client can
# tell:
#   * `docker run IMAGE --some-option`    -> the server with --some-option
#   * `docker run IMAGE mariadbd|mysqld`  -> the accounts are set up from the
#     environment on the container's first start, then the server is exec'd
#     as PID 1 (so `docker stop` shuts it down cleanly);
#   * any other command (`mysql -h ... -e ...`, `sleep infinity`, `bash`) is
#     exec'd as is, so the same image also serves as a client host in a lab.
#
# Fast first start: the image ships a data directory initialised when it was
# built (`docker-entrypoint.sh --prepare-datadir`, run by the build script
# inside the image's root), holding only root@localhost without a password and
# the mark file $DATADIR/.accounts-pending. On the first start the server runs
# with an --init-file that sets the passwords from the environment (so they
# differ from run to run and are never part of the image), and the mark is
# removed. An empty data directory (e.g. a new volume mounted there) is
# initialised on start, as the official images do, which takes longer (MySQL:
# 15-25 s).
#
# Environment (MARIADB_* spellings are accepted too, e.g. MARIADB_ROOT_PASSWORD):
#   MYSQL_ROOT_PASSWORD         password of 'root'@'localhost' and 'root'@'%'
#   MYSQL_ALLOW_EMPTY_PASSWORD  any non-empty value: allow root without password
#   MYSQL_RANDOM_ROOT_PASSWORD  any non-empty value: generate one and print it
#   MYSQL_DATABASE              database to create
#   MYSQL_USER, MYSQL_PASSWORD  account 'USER'@'%' to create; it gets all
#                               privileges on MYSQL_DATABASE when that is set
# As in the official images these are only used on the first start; a
# container restarted on its data directory keeps the accounts it has.
#
# Configuration, read in alphabetical order within each folder:
#   MariaDB: /etc/mysql/conf.d/*.cnf, then /etc/mysql/mariadb.conf.d/*.cnf; the
#     image's mariadb.conf.d/90-container.cnf sets bind-address = 0.0.0.0, and a
#     file mounted as mariadb.conf.d/99-learner.cnf overrides it.
#   MySQL: /etc/mysql/mysql.conf.d/*.cnf, then /etc/mysql/conf.d/*.cnf (conf.d
#     last, as in the official image); the image's conf.d/90-container.cnf sets
#     bind-address = 0.0.0.0, and a file mounted as conf.d/zz-learner.cnf (any
#     name after 90-container.cnf) overrides it.
# Nothing is forced on the command line. The server logs on stderr.
set -euo pipefail

readonly DATADIR=/var/lib/mysql
readonly RUNDIR=/run/mysqld
# In a data directory initialised when the image was built: its accounts wait
# for the first start's passwords.
readonly PENDING_MARK=$DATADIR/.accounts-pending

log() { printf '%s [Entrypoint]: %s\n' "$(date '+%F %T')" "$*"; }
die() { printf '%s [Entrypoint] ERROR: %s\n' "$(date '+%F %T')" "$*" >&2; exit 1; }

# The server this image holds: mariadbd (MariaDB), else mysqld (Oracle MySQL).
if command -v mariadbd >/dev/null 2>&1; then
	readonly FLAVOUR=mariadb SERVER=mariadbd
else
	readonly FLAVOUR=mysql SERVER=mysqld
fi

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

# True when the arguments ask the server for help/version only (no server start).
wants_help() {
	local arg
	for arg; do
		case $arg in
			-'?' | --help | -V | --version | --print-defaults | --verbose=help) return 0 ;;
		esac
	done
	return 1
}

# Refuses to set up accounts without a password option, or with a bad MYSQL_USER.
check_account_env() {
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
		echo "SET SESSION sql_mode = '';"
		if [[ $FLAVOUR == mariadb ]]; then
			# mariadb-install-db --cross-bootstrap creates ''@localhost,
			# root@127.0.0.1 and root@::1: keep only root@localhost, add root@%.
			echo "DROP USER IF EXISTS ''@'localhost', 'root'@'127.0.0.1', 'root'@'::1';"
		fi
		# mysqld --initialize-insecure creates root@localhost alone (no password).
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $pw;"
		echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $pw;"
		echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
		if [[ $FLAVOUR == mysql ]]; then
			# As the official image does: root@% may grant proxying like root@localhost.
			echo "GRANT PROXY ON ''@'' TO 'root'@'%' WITH GRANT OPTION;"
		fi
		if [[ -n $database ]]; then
			echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$database");"
		fi
		if [[ -n $user ]]; then
			echo "CREATE USER IF NOT EXISTS $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
			if [[ -n $database ]]; then
				echo "GRANT ALL PRIVILEGES ON $(sql_ident "$database").* TO $(sql_string "$user")@'%';"
			fi
		fi
		if [[ $FLAVOUR == mariadb ]]; then
			# MySQL 8.4 and later deprecate FLUSH PRIVILEGES; neither needs it here.
			echo "FLUSH PRIVILEGES;"
		fi
	} >"$file"
}

# Initialises the empty data directory $DATADIR: root@localhost without a
# password, no other account to log in with.
initialise_datadir() {
	log "Initializing database files in $DATADIR"
	local out
	if [[ $FLAVOUR == mariadb ]]; then
		# --cross-bootstrap: no accounts for the (build or container) host name.
		if ! out=$(mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
			--auth-root-authentication-method=normal --cross-bootstrap 2>&1); then
			printf '%s\n' "$out" >&2
			die "mariadb-install-db failed"
		fi
	else
		# --log-error-verbosity=1: errors only (the default also tells of the
		# generated root password being empty, which is the point).
		if ! out=$(mysqld --initialize-insecure --user=mysql --datadir="$DATADIR" \
			--log-error-verbosity=1 2>&1); then
			printf '%s\n' "$out" >&2
			die "mysqld --initialize-insecure failed"
		fi
	fi
	log "Database files initialized"
}

# Writes the SQL that sets up the accounts to a private file, whose path it
# stores in INIT_FILE.
INIT_FILE=
prepare_init_file() {
	local tmpdir
	tmpdir=$(mktemp -d)
	chmod 700 "$tmpdir"
	INIT_FILE="$tmpdir/init.sql"
	(umask 077 && write_init_sql "$INIT_FILE")
	chmod 600 "$INIT_FILE"
	chown -R mysql:mysql "$tmpdir"
}

# Creates the run and data directories, owned by mysql.
own_directories() {
	mkdir -p "$RUNDIR" "$DATADIR"
	chown mysql:mysql "$RUNDIR"
	chmod 755 "$RUNDIR"
	# A volume mounted on the data directory may belong to anybody.
	find "$DATADIR" \! -user mysql -exec chown mysql:mysql '{}' +
}

# `docker-entrypoint.sh --prepare-datadir`, run by build-offline-image.sh in the
# image's root: initialise the data directory once, for every container of the
# image, and leave out what must differ between containers.
prepare_datadir() {
	[[ ! -e $DATADIR/mysql ]] || die "$DATADIR is already initialised"
	own_directories
	initialise_datadir
	if [[ $FLAVOUR == mysql ]]; then
		# The server's UUID, its TLS certificates and its RSA key pair (for
		# caching_sha2_password): each container generates its own at start.
		rm -f "$DATADIR"/auto.cnf "$DATADIR"/*.pem
	fi
	: >"$PENDING_MARK"
	chown mysql:mysql "$PENDING_MARK"
	log "Data directory ready; the accounts are set up on a container's first start"
}

main() {
	if [[ $# -eq 1 && $1 == --prepare-datadir ]]; then
		prepare_datadir
		exit 0
	fi

	# `docker run IMAGE --character-set-server=utf8mb4` starts the server.
	if [[ $# -eq 0 || ${1:0:1} == - ]]; then
		set -- "$SERVER" "$@"
	fi

	case $1 in
		mariadbd | mysqld) shift ;;
		*) exec "$@" ;;
	esac

	if wants_help "$@"; then
		exec "$SERVER" "$@"
	fi

	if [[ $(id -u) -ne 0 ]]; then
		die "the server must be started as root (it drops to the mysql user itself)."
	fi

	own_directories

	local init_args=()
	if [[ ! -d $DATADIR/mysql ]]; then
		check_account_env
		initialise_datadir
		prepare_init_file
		init_args=(--init-file="$INIT_FILE")
	elif [[ -e $PENDING_MARK ]]; then
		check_account_env
		log "Database files initialized when the image was built: setting up the accounts"
		prepare_init_file
		init_args=(--init-file="$INIT_FILE")
		rm -f "$PENDING_MARK"
	else
		log "Database directory $DATADIR already contains a system database: skipping initialization"
	fi

	log "Starting $SERVER"
	exec "$SERVER" --user=mysql "${init_args[@]}" "$@"
}

main "$@"
