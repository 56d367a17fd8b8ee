# Shared by every nsdp script: locate the project, a JDK >= 22 and Maven; run the JVM with the
# project's flags (scripts/jvm.options). Source it; it defines functions and exports JAVA_HOME.

NSDP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NSDP_MIN_JAVA=22

die() { printf 'nsdp: %s\n' "$*" >&2; exit 1; }

# Prints the feature version (17, 25 ...) of the JDK at $1, or nothing.
java_feature_version() {
  local java="$1/bin/java"
  [ -x "$java" ] && [ -x "$1/bin/javac" ] || return 0
  "$java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Finds a JDK >= 22: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
find_jdk() {
  local candidate version best="" best_version=0
  if [ -n "${JAVA_HOME:-}" ]; then
    version=$(java_feature_version "$JAVA_HOME")
    if [ -n "$version" ] && [ "$version" -ge "$NSDP_MIN_JAVA" ]; then
      printf '%s\n' "$JAVA_HOME"; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$candidate" ] || continue
    version=$(java_feature_version "$candidate")
    [ -n "$version" ] || continue
    if [ "$version" -ge "$NSDP_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
      best="$candidate"; best_version="$version"
    fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

use_jdk() {
  local jdk
  jdk=$(find_jdk) || true
  [ -n "$jdk" ] || die "no JDK >= $NSDP_MIN_JAVA found (looked at \$JAVA_HOME and /usr/lib/jvm). Install Temurin 25 (or any JDK >= $NSDP_MIN_JAVA) under /usr/lib/jvm."
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Maven with the chosen JDK, batch mode, quiet transfer logs.
mvn_run() {
  # Maven itself (its bundled guava) trips JDK 24+'s sun.misc.Unsafe warning; allow it quietly.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  use_jdk
  command -v mvn >/dev/null || die "Maven (mvn) is not installed: run scripts/setup, or apt-get install maven"
  (cd "$NSDP_HOME" && mvn -B -ntp -Dstyle.color=never "$@")
}

# Class path of a built module (its jar plus its runtime dependencies), built if needed.
module_classpath() {
  local module="$1" cpfile="$NSDP_HOME/$1/target/classpath.txt"
  if [ ! -f "$cpfile" ] || [ -n "$(find "$NSDP_HOME" -name '*.java' -newer "$cpfile" -print -quit 2>/dev/null)" ] \
     || [ "$NSDP_HOME/pom.xml" -nt "$cpfile" ]; then
    echo "nsdp: building $module (first run, or sources changed) ..." >&2
    local log="$NSDP_HOME/target/build.log"
    mkdir -p "$NSDP_HOME/target"
    mvn_run -q -DskipTests install -pl "$module" -am >"$log" 2>&1 \
      || { cat "$log" >&2; die "build failed (log: $log)"; }
  fi
  printf '%s:%s\n' "$NSDP_HOME/$module/target/classes" "$(cat "$cpfile")"
}

# Runs a Java main class of a module with the project's JVM flags.
java_run() {
  local module="$1" main="$2"; shift 2
  use_jdk
  local cp; cp=$(module_classpath "$module")
  exec "$JAVA_HOME/bin/java" "@$NSDP_HOME/scripts/jvm.options" ${NSDP_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
}
