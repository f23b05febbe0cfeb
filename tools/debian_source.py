"""Fetch the upstream tarball (.orig.tar.*) of a Debian source package.

Used by cmake/BundledSource.cmake when the pinned archive is neither cached nor
downloadable from upstream: Debian's source packages carry byte-identical copies.

apt runs with a private source list, package lists and cache under --state, so
the machine's own apt configuration and state are never modified. The archive
URIs (and their signing keys) are taken from the machine's configured Debian
sources; only the suite and the 'deb-src' type are ours.

Exit status 0 when --dest was written; non-zero (with a reason on stderr)
otherwise. The caller verifies the SHA256.
"""

from __future__ import annotations

import argparse
import getpass
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

APT_SOURCES = "/etc/apt/sources.list"
APT_SOURCE_PARTS = "/etc/apt/sources.list.d"


def _one_line_entries(text):
    """Entries of the classic one-line format: (uri, suites, components, signed_by)."""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line.startswith(("deb ", "deb-src ", "deb\t", "deb-src\t")):
            continue
        options = {}
        match = re.match(r"^(deb|deb-src)\s+\[([^\]]*)\]\s+(.*)$", line)
        if match:
            for option in match.group(2).split():
                key, _, value = option.partition("=")
                options[key] = value
            rest = match.group(3).split()
        else:
            rest = line.split()[1:]
        if len(rest) >= 3:
            yield rest[0], rest[1:2], rest[2:], options.get("signed-by")


def _deb822_entries(text):
    """Entries of the deb822 (.sources) format."""
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        key = None
        for line in stanza.splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line.strip()
                continue
            key, sep, value = line.partition(":")
            if not sep:
                key = None
                continue
            key = key.strip().lower()
            fields[key] = value.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" not in fields.get("types", "").split() and "deb-src" not in fields.get("types", "").split():
            continue
        signed_by = fields.get("signed-by")
        if signed_by and "\n" in signed_by:
            # An inline key block cannot be passed on as a path; let apt use its keyrings.
            signed_by = None
        for uri in fields.get("uris", "").split():
            yield uri, fields.get("suites", "").split(), fields.get("components", "").split(), signed_by


def machine_archives():
    """(uri, signed_by) of each configured archive that serves a 'main' component."""
    entries = []
    paths = [APT_SOURCES] + sorted(glob.glob(os.path.join(APT_SOURCE_PARTS, "*.list")))
    for path in paths:
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                entries.extend(_one_line_entries(f.read()))
    for path in sorted(glob.glob(os.path.join(APT_SOURCE_PARTS, "*.sources"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            entries.extend(_deb822_entries(f.read()))
    archives = []
    for uri, suites, components, signed_by in entries:
        # Security and update pockets live in other archives layouts; a release
        # suite (no '-' suffix) with 'main' marks the distribution's main archive.
        if "main" in components and any("-" not in s and "/" not in s for s in suites):
            if (uri, signed_by) not in archives:
                archives.append((uri, signed_by))
    return archives


class PrivateApt:
    """apt-get confined to a state directory of its own."""

    def __init__(self, state):
        self.state = os.path.abspath(state)
        for sub in ("lists/partial", "cache/archives/partial", "sources.list.d"):
            os.makedirs(os.path.join(self.state, sub), exist_ok=True)
        self.source_list = os.path.join(self.state, "sources.list")

    def options(self):
        opts = {
            "Dir::Etc::SourceList": self.source_list,
            "Dir::Etc::SourceParts": os.path.join(self.state, "sources.list.d"),
            "Dir::State::Lists": os.path.join(self.state, "lists"),
            "Dir::Cache": os.path.join(self.state, "cache"),
            # apt normally drops to an unprivileged user that cannot write here.
            "APT::Sandbox::User": getpass.getuser(),
        }
        args = []
        for key, value in opts.items():
            args += ["-o", f"{key}={value}"]
        return args

    def run(self, *args, cwd=None):
        cmd = ["apt-get", "-q"] + self.options() + list(args)
        return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def configure(self, suites, archives):
        lines = []
        for uri, signed_by in archives:
            opt = f" [signed-by={signed_by}]" if signed_by else ""
            lines += [f"deb-src{opt} {uri} {suite} main" for suite in suites]
        wanted = "\n".join(lines) + "\n"
        current = None
        if os.path.exists(self.source_list):
            with open(self.source_list) as f:
                current = f.read()
        if current != wanted:
            with open(self.source_list, "w") as f:
                f.write(wanted)
            return True
        return False

    def showsrc_versions(self, package):
        out = subprocess.run(
            ["apt-cache"] + self.options() + ["showsrc", package],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        ).stdout
        return re.findall(r"^Version:\s*(\S+)", out, flags=re.M)


def upstream_version(debian_version):
    version = debian_version.split(":", 1)[-1]
    return version.rsplit("-", 1)[0] if "-" in version else version


def fetch(package, version, suite, state, dest):
    archives = machine_archives()
    if not archives:
        print("debian_source: no Debian archive found in the apt sources", file=sys.stderr)
        return 1
    apt = PrivateApt(state)
    changed = apt.configure([suite], archives)
    lists = glob.glob(os.path.join(apt.state, "lists", "*Sources*"))
    if changed or not lists:
        result = apt.run("update")
        if result.returncode != 0:
            print(result.stdout, file=sys.stderr)
            print("debian_source: apt-get update failed", file=sys.stderr)
            return 1

    upstream = upstream_version(version)
    # The pinned Debian revision may have been superseded in its suite; any
    # revision of the same upstream version ships the same .orig tarball.
    candidates = [version] + [
        v for v in apt.showsrc_versions(package) if v != version and upstream_version(v) == upstream
    ]
    with tempfile.TemporaryDirectory(dir=apt.state) as work:
        for candidate in candidates:
            result = apt.run("source", "--download-only", f"{package}={candidate}", cwd=work)
            origs = glob.glob(os.path.join(work, f"{package}_{upstream}.orig.tar.*"))
            if result.returncode == 0 and origs:
                shutil.copyfile(origs[0], dest)
                return 0
            print(result.stdout, file=sys.stderr)
    print(f"debian_source: no {package} source with upstream version {upstream}", file=sys.stderr)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", required=True, help="Debian source package name")
    parser.add_argument("--version", required=True, help="Debian version, e.g. 4.3.4-6")
    parser.add_argument("--suite", required=True, help="Debian suite serving that version")
    parser.add_argument("--state", required=True, help="private apt state directory")
    parser.add_argument("--dest", required=True, help="where to write the .orig tarball")
    args = parser.parse_args(argv)
    return fetch(args.package, args.version, args.suite, args.state, args.dest)


if __name__ == "__main__":
    sys.exit(main())
