# Shared by the scripts (sourced, not run): a virtual environment with the package installed,
# quietly. pip's and setuptools' output goes to $VENV/install.log, named with its last lines when
# the install fails. An install is skipped when the same one (same pyproject.toml, extras and
# extra requirements) already succeeded in this environment; REINSTALL=1 forces it.
#
#   PYTHON=python3.11 VENV=.venv; source scripts/_setup.sh; ensure_installed ".[example]" [pip args]

step() { echo "== $*"; }

ensure_installed() {
  local spec=$1; shift
  local log="$VENV/install.log" stamp="$VENV/.wagtail-umap-installs"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! command -v "$PYTHON" >/dev/null; then
      echo "!! $PYTHON not found: set PYTHON to a Python 3.11 or newer." >&2
      exit 1
    fi
    step "Creating the virtual environment $VENV ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV"
  fi
  local wanted
  wanted="$(sha256sum pyproject.toml | cut -c1-16) -e $spec $*"
  if [ -z "${REINSTALL:-}" ] && [ -f "$stamp" ] && grep -qxF -- "$wanted" "$stamp"; then
    return 0
  fi
  step "Installing wagtail-umap ($spec${*:+ $*}) into $VENV (details in $log)"
  {
    echo "# $(date -Is) pip install -e $spec $*"
    "$VENV/bin/python" -m pip install --upgrade pip \
      && "$VENV/bin/python" -m pip install -e "$spec" "$@"
  } >"$log" 2>&1 || {
    echo "!! The install failed. The last lines of $log:" >&2
    grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -n 20 | cut -c1-240 | sed 's/^/   /' >&2
    exit 1
  }
  echo "$wanted" >>"$stamp"
}
