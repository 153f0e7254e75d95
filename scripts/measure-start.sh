#!/usr/bin/env bash
# measure-start.sh: how long a server image takes from `docker run` to the first
# successful `SELECT 1` through its published port.
#
# Usage: scripts/measure-start.sh [-n RUNS] [-a DOCKER_RUN_ARG]... IMAGE [CLIENT_IMAGE]
#
# Each run starts a fresh container of IMAGE (random root password, port 3306
# published on a free host port) and, at the same moment, polls it every 20 ms
# with the `mysql` client of CLIENT_IMAGE (default: IMAGE) in a container on the
# host's network, until `SELECT 1` succeeds; then it removes the container. The
# client container is started once, before the runs, so its start-up is not
# counted. Prints every run and the median, in seconds. Each -a adds one
# argument to the server's `docker run`, e.g. `-a --tmpfs -a /var/lib/mysql`
# (an empty data directory, initialised when the container starts).
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" | sed '$d'
}
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

runs=5
run_args=()
while (($#)); do
	case $1 in
		-h | --help) usage; exit 0 ;;
		-n) [[ $# -ge 2 ]] || die "-n needs a number"; runs=$2; shift 2 ;;
		-a) [[ $# -ge 2 ]] || die "-a needs an argument"; run_args+=("$2"); shift 2 ;;
		-*) die "unknown option: $1 (see --help)" ;;
		*) break ;;
	esac
done
[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 [-n RUNS] [-a DOCKER_RUN_ARG]... IMAGE [CLIENT_IMAGE]"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive number, not $runs"
image=$1 client_image=${2:-$1}

now() { date +%s.%N; }

client=
server=
cleanup() {
	local status=$?
	[[ -n $server ]] && docker rm -f "$server" >/dev/null 2>&1
	[[ -n $client ]] && docker rm -f "$client" >/dev/null 2>&1
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client=$(docker run -d --rm --network host --entrypoint sleep "$client_image" infinity)

times=()
for ((run = 1; run <= runs; run++)); do
	password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 20 || true)
	start=$(now)
	server=$(docker run -d -p 127.0.0.1::3306 -e MYSQL_ROOT_PASSWORD="$password" "${run_args[@]}" "$image")
	port=$(docker port "$server" 3306/tcp | head -n 1)
	port=${port##*:}
	# One exec polls in a loop: an exec per attempt would cost more than the wait.
	if ! docker exec -e MYSQL_PWD="$password" "$client" sh -c '
		i=0
		until mysql -h127.0.0.1 -P"$1" -uroot -e "SELECT 1" >/dev/null 2>&1; do
			i=$((i + 1))
			[ "$i" -lt 3000 ] || exit 1
			sleep 0.02
		done' sh "$port"; then
		docker logs "$server" 2>&1 | tail -n 20 >&2
		die "run $run: no SELECT 1 within a minute"
	fi
	end=$(now)
	elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
	times+=("$elapsed")
	printf 'run %d: %s s\n' "$run" "$elapsed"
	docker rm -f "$server" >/dev/null
	server=
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
printf 'median of %d: %s s (%s)\n' "$runs" "$median" "$image"
