#!/usr/bin/env bash
#
# Records the exported packages of the bundles, as built now in their target/ folders, as the baseline that
# `mvn verify` checks them against (bnd-baseline-maven-plugin). Run it after `mvn install`, when a release fixes
# the API, or when a bundle that exports packages is added; commit what it writes.
#
set -euo pipefail
cd "$(dirname "$0")/.."
# a new version each time: a local Maven repository keeps a release version it has seen once, forever
project_version=$(sed -n '0,/<version>/ s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
version="${project_version%-SNAPSHOT}-baseline-$(date -u +%Y%m%d%H%M)"
sed -i "s:<pistream.baseline.version>.*</pistream.baseline.version>:<pistream.baseline.version>$version</pistream.baseline.version>:" pom.xml
rm -rf baseline/io
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pom in bundles/*/pom.xml; do
    grep -q '<artifactId>bnd-baseline-maven-plugin</artifactId>' "$pom" || continue
    module=$(dirname "$pom")
    artifact=$(sed -n '0,/<parent>/d; /<\/parent>/,$ s:^  <artifactId>\(.*\)</artifactId>:\1:p' "$pom" | head -1)
    jar=$(ls "$module"/target/"$artifact"-*.jar | grep -v -- '-tests.jar$' | head -1)
    # only what the check reads: the manifest and the classes of exported packages
    cp "$jar" "$work/$artifact.jar"
    zip -q -d "$work/$artifact.jar" '*/internal/*' '*/command/*' 'OSGI-INF/*' 'META-INF/maven/*' > /dev/null 2>&1 || true
    target="baseline/io/pistream/$artifact/$version"
    mkdir -p "$target"
    cp "$work/$artifact.jar" "$target/$artifact-$version.jar"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>io.pistream</groupId>\n  <artifactId>%s</artifactId>\n  <version>%s</version>\n</project>\n' \
        "$artifact" "$version" > "$target/$artifact-$version.pom"
    for file in "$target"/*.jar "$target"/*.pom; do
        sha1sum "$file" | cut -d' ' -f1 > "$file.sha1"
    done
    echo "baseline: $artifact $version from $jar"
done
