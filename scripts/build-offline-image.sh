#!/usr/bin/env bash
# build-offline-image.sh: build a MySQL-compatible server image without a
# container registry.
#
# Machines without a registry (air-gapped classrooms, sandboxed CI) cannot
# `docker pull mysql:8.4`. This script builds an equivalent image from the
# Debian packages that the machine's own apt configuration already reaches,
# in one of two flavours:
#   mariadb (default)  MariaDB from the host's Debian release
#                      -> mysql-course/server:offline
#   mysql              Oracle MySQL (9.x) from Debian sid, on the host's mirror
#                      -> mysql-course/server:mysql
#
#   1. debootstrap a minimal Debian (minbase variant) with the flavour's server
#      and client packages, and iptables (the firewall of exercise 10's lab, set
#      in the server container's own network namespace), into a temporary
#      directory, taking the mirror from the host's apt sources;
#   2. shrink it (apt caches and lists, docs, man pages) and add
#        90-container.cnf  (listen on all addresses)
#          mariadb: /etc/mysql/mariadb.conf.d/, after the package's 50-server.cnf
#          mysql:   /etc/mysql/conf.d/, which is read last (as in the official
#                   image); the package's log file is commented out (stderr)
#        /usr/local/bin/docker-entrypoint.sh  (scripts/offline-image/)
#      The entrypoint behaves like the official image's: MYSQL_ROOT_PASSWORD,
#      MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_DATABASE, MYSQL_USER/MYSQL_PASSWORD;
#      any command other than mariadbd/mysqld (e.g. `mysql -h ...`) is run
#      as is, so the image is also a client host;
#   3. initialise the data directory inside the root (the entrypoint's
#      --prepare-datadir): root@localhost without a password, no other
#      account. A container then starts in a second or two: its first start
#      only sets the passwords from the environment (an --init-file), so they
#      are still random per run and never part of the image;
#   4. `docker import` the tree as IMAGE (port 3306, CMD mariadbd or mysqld);
#   5. save IMAGE as the course's image in .grader/config.toml (or
#      $GRADER_STATE_DIR/config.toml), so that the grader uses it.
#
# Usage:
#   sudo scripts/build-offline-image.sh [--flavour mariadb|mysql] [--force] [IMAGE]
#   sudo IMAGE=my/tag SUITE=bookworm MIRROR=http://host/debian scripts/build-offline-image.sh
#
#   IMAGE     image name (1st argument or env IMAGE), default by flavour (above)
#   --flavour mariadb or mysql (or env FLAVOUR), default mariadb
#   --force   rebuild even if IMAGE exists (otherwise: print that and exit 0)
#   SUITE     Debian suite, default: mariadb VERSION_CODENAME from
#             /etc/os-release, mysql sid
#   MIRROR    Debian archive URL, default: the one the host's apt sources use
#             for SUITE (/etc/apt/sources.list, /etc/apt/sources.list.d/); for
#             a suite they do not list (sid, usually), the one they use for the
#             host's own release (a Debian mirror carries every suite)
#
# Needs root (debootstrap), the debootstrap package and a running Docker
# daemon. Takes one to two minutes.
set -euo pipefail

readonly DEFAULT_FLAVOUR=mariadb
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
readonly FILES_DIR=$SCRIPT_DIR/offline-image

# The settings of flavour $1: its packages, default image and suite ('' for
# the host's release), and the server the image runs.
flavour_settings() {
	case $1 in
		mariadb)
			PACKAGES=mariadb-server,mariadb-client,iptables
			FLAVOUR_IMAGE=mysql-course/server:offline
			FLAVOUR_SUITE=
			SERVER=mariadbd
			;;
		mysql)
			PACKAGES=mysql-server,mysql-client,iptables
			FLAVOUR_IMAGE=mysql-course/server:mysql
			FLAVOUR_SUITE=sid
			SERVER=mysqld
			;;
		*) return 1 ;;
	esac
}

usage() {
	cat <<EOF
Usage: sudo $0 [--flavour mariadb|mysql] [--force] [IMAGE]

Builds a MySQL-compatible server image from Debian packages, for machines
that have Docker but no container registry: MariaDB from this machine's
Debian release, or Oracle MySQL from Debian sid (on the same mirror).

Arguments and options:
  IMAGE             image to create (or env IMAGE); default
                    mysql-course/server:offline (mariadb) or
                    mysql-course/server:mysql (mysql)
  --flavour NAME    mariadb (default) or mysql (or env FLAVOUR)
  --force           rebuild even if IMAGE already exists
  -h, --help        print this help

Environment:
  IMAGE        image name, when no argument is given
  FLAVOUR      mariadb or mysql, when --flavour is not given
  SUITE        Debian suite (default: mariadb: VERSION_CODENAME of this Debian
               machine; mysql: sid)
  MIRROR       Debian archive URL (default: taken from this machine's apt sources)

The image listens on 3306 and takes MYSQL_ROOT_PASSWORD (or
MYSQL_ALLOW_EMPTY_PASSWORD=yes), MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD
like the official mysql image; its data directory is initialised when it is
built, so a container answers within a second or two. Examples:
  docker run -d -p 3306:3306 -e MYSQL_ROOT_PASSWORD=secret mysql-course/server:offline
  docker run --rm mysql-course/server:offline mysql -h 10.0.0.2 -uroot -psecret -e 'SELECT 1'
  sudo $0 --flavour mysql
EOF
}

step() { printf '==> %s\n' "$*"; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "${0##*/}" "$*" >&2; }

# ---------------------------------------------------------------------------
# Mirror discovery from the apt configuration.

# Prints "URI<TAB>SIGNED-BY" for every deb entry of the apt sources that
# serves SUITE ($1, exact match) with the main component, in apt's order.
apt_entries_for_suite() {
	local suite=$1 file
	local -a one_line=() deb822=()
	[[ -f /etc/apt/sources.list ]] && one_line+=(/etc/apt/sources.list)
	for file in /etc/apt/sources.list.d/*.list; do
		[[ -f $file ]] && one_line+=("$file")
	done
	for file in /etc/apt/sources.list.d/*.sources; do
		[[ -f $file ]] && deb822+=("$file")
	done

	if ((${#one_line[@]})); then
		# deb [opt=val ...] URI SUITE COMPONENT...
		awk -v suite="$suite" '
			{ sub(/#.*/, "") }
			$1 != "deb" { next }
			{
				line = $0; signed = ""
				if (match(line, /\[[^]]*\]/)) {
					opts = substr(line, RSTART + 1, RLENGTH - 2)
					line = substr(line, 1, RSTART - 1) " " substr(line, RSTART + RLENGTH)
					if (match(opts, /signed-by=[^ \t]+/))
						signed = substr(opts, RSTART + 10, RLENGTH - 10)
				}
				n = split(line, f, /[ \t]+/)
				# f[1] may be empty when the line starts with blanks.
				i = (f[1] == "") ? 2 : 1
				if (f[i] != "deb" || f[i + 2] != suite) next
				for (j = i + 3; j <= n; j++)
					if (f[j] == "main") { print f[i + 1] "\t" signed; next }
			}' "${one_line[@]}"
	fi

	if ((${#deb822[@]})); then
		# Stanzas separated by blank lines; "Field: value" lines; lines that
		# start with a blank continue the previous field (e.g. inline keys).
		awk -v suite="$suite" '
			function flush(   n, i, t, ok_type, ok_suite, ok_main, u) {
				if (uris != "" && tolower(enabled) != "no") {
					n = split(types, t, /[ \t]+/)
					for (i = 1; i <= n; i++) if (t[i] == "deb") ok_type = 1
					n = split(suites, t, /[ \t]+/)
					for (i = 1; i <= n; i++) if (t[i] == suite) ok_suite = 1
					n = split(comps, t, /[ \t]+/)
					for (i = 1; i <= n; i++) if (t[i] == "main") ok_main = 1
					if (ok_type && ok_suite && ok_main) {
						n = split(uris, u, /[ \t]+/)
						for (i = 1; i <= n; i++) if (u[i] != "") print u[i] "\t" signed
					}
				}
				types = uris = suites = comps = enabled = signed = ""
			}
			FNR == 1 { flush() }
			/^[ \t]*$/ { flush(); next }
			/^#/ || /^[ \t]/ { next }
			{
				key = tolower($0); sub(/:.*/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "components") comps = val
				else if (key == "enabled") enabled = val
				else if (key == "signed-by") signed = val
			}
			END { flush() }' "${deb822[@]}"
	fi
}

# True when apt's downloaded Release file for URI ($1) and SUITE ($2) says
# Origin: Debian (apt names it after the URI without scheme, / becoming _).
apt_lists_say_debian() {
	local uri=$1 suite=$2 name file
	name=${uri#*://}
	name=${name#*@}
	name=${name%/}
	name=${name//\//_}
	for file in "/var/lib/apt/lists/${name}_dists_${suite}_InRelease" \
		"/var/lib/apt/lists/${name}_dists_${suite}_Release"; do
		if [[ -f $file ]] && grep -qx 'Origin: Debian' "$file"; then
			return 0
		fi
	done
	return 1
}

# Prints the URL of the Debian main archive for SUITE ($1) from the apt
# sources. Preference, then apt's order: apt's Release file for it says
# Origin: Debian; signed by debian-archive-keyring; no Signed-By and a path
# ending in /debian; no Signed-By; signed by another key (third party).
find_mirror() {
	local suite=$1 uri signed best='' best_rank=9 rank
	while IFS=$'\t' read -r uri signed; do
		case $uri in
			http://* | https://* | ftp://* | file:*) ;;
			*) continue ;; # cdrom:, mirror+file:, tor+... : not for debootstrap
		esac
		[[ ${uri%/} == *-security ]] && continue
		if apt_lists_say_debian "$uri" "$suite"; then
			rank=0
		elif [[ $signed == *debian-archive-keyring* ]]; then
			rank=1
		elif [[ -z $signed && ${uri%/} == */debian ]]; then
			rank=2
		elif [[ -z $signed ]]; then
			rank=3
		else
			rank=4 # signed by some other key: a third-party repository
		fi
		if ((rank < best_rank)); then
			best=$uri best_rank=$rank
		fi
	done < <(apt_entries_for_suite "$suite")
	[[ -n $best ]] || return 1
	((best_rank < 2)) || warn "could not confirm that $best is a Debian archive (no apt lists, no Debian keyring); using it anyway"
	printf '%s\n' "${best%/}"
}

# ---------------------------------------------------------------------------

WORK=
cleanup() {
	local status=$? mnt
	if [[ -n $WORK && -d $WORK ]]; then
		# debootstrap mounts proc/sys inside the root; a failed run may leave them.
		while read -r mnt; do
			umount -l "$mnt" 2>/dev/null || true
		done < <(awk -v root="$WORK/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r)
		rm -rf --one-file-system "$WORK"
	fi
	exit "$status"
}

human_size() {
	awk -v b="$1" 'BEGIN { printf (b >= 1e9 ? "%.2f GB" : "%.0f MB"), (b >= 1e9 ? b / 1e9 : b / 1e6) }'
}

main() {
	local force=0 image_arg='' flavour=${FLAVOUR:-$DEFAULT_FLAVOUR} arg
	local -a args=("$@")
	while (($#)); do
		arg=$1
		shift
		case $arg in
			-h | --help) usage; exit 0 ;;
			--force) force=1 ;;
			--flavour | --flavor)
				(($#)) || die "$arg needs a value: mariadb or mysql"
				flavour=$1
				shift
				;;
			--flavour=* | --flavor=*) flavour=${arg#*=} ;;
			-*) die "unknown option: $arg (see --help)" ;;
			*)
				[[ -z $image_arg ]] || die "only one IMAGE argument is allowed (see --help)"
				image_arg=$arg
				;;
		esac
	done
	flavour_settings "$flavour" || die "unknown flavour '$flavour': mariadb or mysql (see --help)"
	local image=${image_arg:-${IMAGE:-$FLAVOUR_IMAGE}}

	[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap needs it): rerun with sudo $0 ${args[*]}"
	command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install debootstrap"
	command -v docker >/dev/null || die "docker is not installed: apt-get install docker.io"
	docker info >/dev/null 2>&1 || die "the Docker daemon does not answer ('docker info' fails): is it running? (systemctl start docker)"
	[[ -f $FILES_DIR/docker-entrypoint.sh ]] || die "missing $FILES_DIR/docker-entrypoint.sh"

	if docker image inspect "$image" >/dev/null 2>&1 && ((!force)); then
		echo "Image $image already exists; nothing to build (use --force to rebuild)."
		remember_image "$image"
		exit 0
	fi

	# The Debian release and archive this machine uses.
	local os_id='' codename=''
	if [[ -r /etc/os-release ]]; then
		# shellcheck source=/dev/null
		os_id=$(. /etc/os-release && printf '%s' "${ID:-}")
		# shellcheck source=/dev/null
		codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
	fi
	if [[ $os_id != debian && (-z ${SUITE:-$FLAVOUR_SUITE} || -z ${MIRROR:-}) ]]; then
		die "this machine is not Debian (/etc/os-release ID=${os_id:-unknown}): set both SUITE and MIRROR to build anyway"
	fi
	local suite=${SUITE:-${FLAVOUR_SUITE:-$codename}}
	[[ -n $suite ]] || die "no VERSION_CODENAME in /etc/os-release: set SUITE (e.g. SUITE=bookworm)"
	local mirror=${MIRROR:-}
	if [[ -z $mirror ]]; then
		# The sources seldom list sid; a Debian mirror that serves the host's
		# release serves every suite, so the URI they give for it will do.
		if ! mirror=$(find_mirror "$suite") &&
			! { [[ -n $codename && $codename != "$suite" ]] && mirror=$(find_mirror "$codename"); }; then
			local suites="'$suite'"
			[[ -n $codename && $codename != "$suite" ]] && suites+=" or '$codename'"
			die "no apt source for suite $suites with component main in /etc/apt/sources.list{,.d/}: set MIRROR"
		fi
	fi

	local t0=$SECONDS t
	WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/offline-image.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	local root=$WORK/root log=$WORK/debootstrap.log

	step "debootstrap --variant=minbase --include=$PACKAGES $suite $root $mirror"
	t=$SECONDS
	if ! debootstrap --variant=minbase --include="$PACKAGES" "$suite" "$root" "$mirror" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "debootstrap failed (last lines above)"
	fi
	local t_debootstrap=$((SECONDS - t))
	echo "    done in ${t_debootstrap}s"

	step "shrinking the root (apt caches and lists, docs, man pages, translations, logs)"
	rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* \
		"$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
		"$root"/usr/share/locale/* \
		"$root"/var/cache/debconf/*-old "$root"/var/log/*.log "$root"/var/log/apt/*
	# The host's resolver and name do not belong in the image (Docker provides them).
	: >"$root/etc/resolv.conf"
	: >"$root/etc/hostname"
	# The package's postinst initialised a data directory, with accounts of
	# its own: it is initialised again below, as every container needs it.
	rm -rf "${root:?}"/var/lib/mysql
	install -d -m 755 "$root/var/lib/mysql"
	chroot "$root" chown mysql:mysql /var/lib/mysql
	# Newer suites ship the mysql* client names in a separate package.
	local pair
	for pair in mysql:mariadb mysqldump:mariadb-dump mysqladmin:mariadb-admin mysqld:mariadbd; do
		local dir=usr/bin
		[[ ${pair%%:*} == mysqld ]] && dir=usr/sbin
		if [[ ! -e $root/$dir/${pair%%:*} && -e $root/$dir/${pair#*:} ]]; then
			ln -s "${pair#*:}" "$root/$dir/${pair%%:*}"
		fi
	done

	step "installing 90-container.cnf and docker-entrypoint.sh"
	local learner_dir
	if [[ $flavour == mariadb ]]; then
		configure_mariadb "$root"
		learner_dir=/etc/mysql/mariadb.conf.d
	else
		configure_mysql "$root"
		learner_dir=/etc/mysql/conf.d
	fi
	install -m 755 "$FILES_DIR/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
	check_configuration "$root" "$learner_dir"

	step "initialising the data directory (once, for every container of the image)"
	t=$SECONDS
	if ! chroot "$root" /usr/local/bin/docker-entrypoint.sh --prepare-datadir >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "initialising the data directory failed (last lines above)"
	fi
	local t_datadir=$((SECONDS - t))
	# What the initialising server left beside the data directory.
	rm -rf "${root:?}"/run/mysqld/* "$root"/var/log/mysql/*
	echo "    done in ${t_datadir}s"

	step "docker import -> $image"
	t=$SECONDS
	local old_id
	old_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
	tar -C "$root" --numeric-owner --one-file-system -c . |
		docker import \
			-c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
			-c "CMD [\"$SERVER\"]" \
			-c 'EXPOSE 3306' \
			-c 'ENV LANG=C.UTF-8' \
			- "$image" >/dev/null
	local t_import=$((SECONDS - t))
	echo "    done in ${t_import}s"
	# With --force the previous image is left untagged: remove it unless in use.
	if [[ -n $old_id && $old_id != "$(docker image inspect -f '{{.Id}}' "$image")" ]]; then
		docker image rm "$old_id" >/dev/null 2>&1 || true
	fi

	local size
	size=$(docker image inspect -f '{{.Size}}' "$image")
	step "built $image ($(human_size "$size")) in $((SECONDS - t0))s (debootstrap ${t_debootstrap}s, data directory ${t_datadir}s, import ${t_import}s)"
	echo "    try: docker run -d -p 3306:3306 -e MYSQL_ROOT_PASSWORD=secret $image"
	remember_image "$image"
}

# The MariaDB flavour's configuration, in the root $1: 90-container.cnf in
# mariadb.conf.d, which is read after conf.d, after the package's 50-server.cnf.
configure_mariadb() {
	local root=$1
	cat >"$root/etc/mysql/mariadb.conf.d/90-container.cnf" <<'EOF'
# Added by scripts/build-offline-image.sh. Files in this directory are read in
# alphabetical order, so this overrides 50-server.cnf (bind-address =
# 127.0.0.1), and a file mounted as 99-learner.cnf overrides this one.
[mysqld]
bind-address = 0.0.0.0
skip-name-resolve
skip-host-cache
EOF
	chmod 644 "$root/etc/mysql/mariadb.conf.d/90-container.cnf"
}

# The MySQL flavour's configuration, in the root $1. Debian's mysql.cnf (where
# /etc/mysql/my.cnf points) reads conf.d and then mysql.conf.d, whose
# mysqld.cnf sets bind-address = 127.0.0.1 and a log file. As in the official
# image, conf.d is read last here, so that a file there decides, and the
# server logs on stderr.
configure_mysql() {
	local root=$1
	local cnf=$root/etc/mysql/mysql.cnf server_cnf=$root/etc/mysql/mysql.conf.d/mysqld.cnf
	[[ -f $cnf && -f $server_cnf ]] ||
		die "the mysql-server package has no /etc/mysql/mysql.cnf or mysql.conf.d/mysqld.cnf: has its layout changed?"
	cat >"$cnf" <<'EOF'
# The MySQL configuration (/etc/mysql/my.cnf points here), rewritten by
# scripts/build-offline-image.sh. As in the official mysql image, conf.d is
# read last: its files, in alphabetical order, decide. The image's own
# conf.d/90-container.cnf sets bind-address = 0.0.0.0; a file named to come
# after it (e.g. conf.d/zz-learner.cnf) overrides it.
!includedir /etc/mysql/mysql.conf.d/
!includedir /etc/mysql/conf.d/
EOF
	# A container's server logs on stderr, the default without log_error.
	sed -i -E 's/^([[:space:]]*log[-_]error[[:space:]]*=)/# (the container logs on stderr) \1/' "$server_cnf"
	cat >"$root/etc/mysql/conf.d/90-container.cnf" <<'EOF'
# Added by scripts/build-offline-image.sh. conf.d is read after mysql.conf.d,
# its files in alphabetical order, so this overrides mysql.conf.d/mysqld.cnf
# (bind-address = 127.0.0.1), and a file named to come after this one (e.g.
# zz-learner.cnf) overrides it.
[mysqld]
bind-address = 0.0.0.0
mysqlx-bind-address = 0.0.0.0
skip-name-resolve
host_cache_size = 0
EOF
	chmod 644 "$root/etc/mysql/conf.d/90-container.cnf" "$cnf"
}

# The server's options as my_print_defaults in the root $1 reads them: MariaDB's
# knows the server's groups (--mysqld), MySQL's is given them.
server_defaults() {
	if [[ -e $1/usr/sbin/mariadbd ]]; then
		chroot "$1" my_print_defaults --mysqld
	else
		chroot "$1" my_print_defaults mysqld server
	fi
}

# Checks, with my_print_defaults in the root $1, that the server listens on all
# addresses, logs on stderr, and that a learner's file in the folder $2, named
# to be read last, decides bind-address.
check_configuration() {
	local root=$1 learner_dir=$2 defaults effective
	defaults=$(server_defaults "$root") || die "my_print_defaults failed in the root"
	effective=$(grep -- '^--bind[-_]address=' <<<"$defaults" | tail -n 1 || true)
	[[ $effective == --bind?address=0.0.0.0 ]] ||
		die "90-container.cnf does not take effect (last bind-address: ${effective:-none})"
	effective=$(grep -- '^--log[-_]error=' <<<"$defaults" | tail -n 1 || true)
	[[ -z $effective ]] || die "the server would log to a file, not stderr ($effective)"
	local probe=$root$learner_dir/zz-learner.cnf
	[[ ! -e $probe ]] || die "$probe exists already"
	printf '[mysqld]\nbind-address = 192.0.2.1\n' >"$probe"
	effective=$(server_defaults "$root" | grep -- '^--bind[-_]address=' | tail -n 1 || true)
	rm -f "$probe"
	[[ $effective == --bind?address=192.0.2.1 ]] ||
		die "a learner's file in $learner_dir does not override 90-container.cnf (last bind-address: ${effective:-none})"
}

# Saves IMAGE as this course's image in its grader config (.grader/config.toml, or
# $GRADER_STATE_DIR/config.toml), so that `cargo grader check`, `watch` and
# `server start` use it without GRADER_IMAGE; prints the line it wrote. The file
# and its folder belong to whoever owns the course, not to root.
remember_image() {
	local image=$1 course_root state_dir file tmp line
	course_root=$(cd "$SCRIPT_DIR/.." && pwd)
	[[ -f $course_root/exercises/course.toml ]] || return 0
	state_dir=${GRADER_STATE_DIR:-$course_root/.grader}
	file=$state_dir/config.toml
	line="image = \"$image\""
	mkdir -p "$state_dir"
	tmp=$(mktemp "$state_dir/config.toml.XXXXXX")
	if [[ -f $file ]]; then
		# Replace `image` in [server], or add it there, or add [server] at the end.
		awk -v line="$line" '
			/^[ \t]*\[/ {
				if (in_server && !done) { print line; done = 1 }
				in_server = ($0 ~ /^[ \t]*\[server\][ \t]*$/)
				print; next
			}
			in_server && /^[ \t]*image[ \t]*=/ { if (!done) { print line; done = 1 } next }
			{ print }
			END { if (!done) { if (!in_server) print "\n[server]"; print line } }' "$file" >"$tmp"
	else
		printf '%s\n' \
			"# The grader's settings for this course: \`cargo grader config show\` explains them." \
			"[server]" "$line" >"$tmp"
	fi
	chmod 644 "$tmp"
	mv "$tmp" "$file"
	if [[ $(id -u) -eq 0 ]]; then
		chown "$(stat -c %u:%g "$course_root")" "$state_dir" "$file"
	fi
	echo "==> wrote $line in ${file#"$course_root"/}: cargo grader check, watch and server start use this image now"
	echo "    (cargo grader config show explains; GRADER_IMAGE or --image still win)"
}

main "$@"
