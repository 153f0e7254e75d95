#!/usr/bin/env bash
# Makes the Python track's virtual environment, tracks/python/.venv, with the drivers
# pinned in tracks/python/requirements.txt (MySQL Connector/Python and SQLAlchemy).
# The grader runs the track's programs with its interpreter.
#
# Usage: scripts/setup-python.sh [--python PYTHON]
#
# Offline: where tracks/python/wheels/ holds the wheels (make it once, on a machine
# with the package index at hand, with
#     python3 -m pip download -d tracks/python/wheels -r tracks/python/requirements.txt
# ), pip installs from that folder alone and asks no index. PIP_FIND_LINKS and the
# other PIP_* settings are honoured as usual.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=python3
while [ $# -gt 0 ]; do
	case "$1" in
	--python) python="$2"; shift 2 ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "error: unknown argument $1 (try --help)" >&2; exit 2 ;;
	esac
done

readonly track=tracks/python
readonly venv="$track/.venv"
readonly wheels="$track/wheels"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
	echo "error: the Python track needs Python 3.11 or later, and \`$python\` is $("$python" --version 2>&1 || echo missing)." >&2
	echo "Install one (sudo apt-get install python3 python3-venv), or name it: $0 --python python3.12" >&2
	exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
	if ! "$python" -m venv "$venv"; then
		echo "error: $python cannot make a virtual environment; on Debian or Ubuntu: sudo apt-get install python3-venv" >&2
		exit 1
	fi
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check install --quiet --requirement "$track/requirements.txt")
if compgen -G "$wheels/*.whl" >/dev/null; then
	echo "Installing the pinned drivers from $wheels (no index asked)"
	"${pip[@]}" --no-index --find-links "$wheels"
else
	echo "Installing the pinned drivers into $venv"
	"${pip[@]}"
fi
"$venv/bin/python" -c 'import mysql.connector, sqlalchemy; print(f"Ready: MySQL Connector/Python {mysql.connector.__version__}, SQLAlchemy {sqlalchemy.__version__}")'
echo "Check the Python track with: cargo grader check --track python"
