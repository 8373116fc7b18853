# Sourced by ../mvnw and ../.ci/run (POSIX sh): makes JAVA_HOME a JDK 25 or newer, so that Maven,
# and with it the compiler, the tests, the jar and Javadoc tools and the demo, run on one.
# Maven itself must run on it: the jar and Javadoc plugins read the module descriptors of
# parx's class files (version 69) inside Maven's own JVM, which a JDK 17 cannot.
# Looks at JAVA_HOME, the java on PATH, then where installers put JDKs; fails with what to install.

parx_jdk_major() { # the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
}

parx_find_jdk() { # prints the first JDK 25 or newer, or fails
  parx_path_java=$(command -v java 2>/dev/null || :)
  parx_path_home=
  if [ -n "$parx_path_java" ]; then
    parx_path_home=$(dirname "$(dirname "$(readlink -f "$parx_path_java" 2>/dev/null || echo "$parx_path_java")")")
  fi
  case $- in *f*) parx_noglob=1 ;; *) parx_noglob= ;; esac
  set +f
  for parx_candidate in "${JAVA_HOME-}" "$parx_path_home" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
    "${HOME-}"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$parx_candidate" ] && [ -d "$parx_candidate" ] || continue
    parx_major=$(parx_jdk_major "$parx_candidate")
    if [ -n "$parx_major" ] && [ "$parx_major" -ge 25 ]; then
      [ -z "$parx_noglob" ] || set -f
      printf '%s\n' "$parx_candidate"
      return 0
    fi
  done
  [ -z "$parx_noglob" ] || set -f
  return 1
}

if parx_jdk=$(parx_find_jdk); then
  JAVA_HOME=$parx_jdk
  export JAVA_HOME
else
  echo "parx needs a JDK 25 or newer to build, and found none (looked at JAVA_HOME, the java on PATH," >&2
  echo "/usr/lib/jvm, /usr/java, /opt, SDKMAN and /Library/Java/JavaVirtualMachines)." >&2
  echo "Install one, e.g. Eclipse Temurin 25 (apt-get install temurin-25-jdk, brew install --cask temurin@25," >&2
  echo "or sdk install java 25-tem), or set JAVA_HOME to one." >&2
  exit 1
fi
