# Shared by scripts/*: the repository root, lane names and how to find each lane's interpreter.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=$ROOT/.venvs
LANES=(latest minimum)
# Lanes whose environment also gets requirements/e2e.txt and that run the browser tests.
E2E_LANES=(latest minimum)
CHROMIUM=/usr/bin/chromium

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Whether $1 is a Python interpreter satisfying lane $2.
lane_accepts() {
  local python=$1 lane=$2 check
  case $lane in
    latest) check='import sys; sys.exit(sys.version_info < (3, 14, 2))' ;;
    minimum) check='import sys; sys.exit(sys.version_info[:2] != (3, 13))' ;;
    *) return 1 ;;
  esac
  [[ -n $python ]] && "$python" -c "$check" >/dev/null 2>&1
}

# Prints the interpreter for lane $1: PATH first, then pyenv, then (latest only) the shared
# provisioning tool when this machine has it. Returns 1 with nothing printed when none is found.
find_python() {
  local lane=$1 minor candidate
  case $lane in latest) minor=3.14 ;; minimum) minor=3.13 ;; *) return 1 ;; esac
  for candidate in "$(command -v "python$minor" 2>/dev/null)" "$(command -v python3 2>/dev/null)"; do
    if lane_accepts "$candidate" "$lane"; then echo "$candidate"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local root
    root=$(pyenv root)
    for candidate in $(ls -d "$root/versions/$minor".* 2>/dev/null | sort -rV); do
      if lane_accepts "$candidate/bin/python$minor" "$lane"; then
        echo "$candidate/bin/python$minor"; return 0
      fi
    done
  fi
  local tool=$ROOT/../shared/tools/python314
  if [[ $lane == latest && -x $tool ]]; then
    candidate=$("$tool" "${XDG_CACHE_HOME:-$HOME/.cache}/python314" 2>/dev/null | tail -n 1)
    if lane_accepts "$candidate" "$lane"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

# Why lane $1 cannot run on this machine (for the skip message).
missing_reason() {
  case $1 in
    latest) echo "no Python >= 3.14.2 on PATH or in pyenv, and no ../shared/tools/python314" ;;
    minimum) echo "no Python 3.13 on PATH or in pyenv" ;;
  esac
}

# Prints a uv executable, installing uv into a small venv of its own the first time.
find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  local venv=$VENVS/uv
  if [[ ! -x $venv/bin/uv ]]; then
    say "installing uv into $venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check uv >&2
  fi
  echo "$venv/bin/uv"
}

# Whether lane $1 runs the browser tests (tests/e2e).
is_e2e_lane() {
  local lane
  for lane in "${E2E_LANES[@]}"; do [[ $lane == "$1" ]] && return 0; done
  return 1
}
