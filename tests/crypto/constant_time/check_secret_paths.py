#!/usr/bin/env python3
"""Proves, on the compiled objects, that no secret-handling function can reach a
variable-time routine.

The pairing and group-signature libraries are compiled with -ffunction-sections and
-fdata-sections, so every function and every data object sits in its own ELF section and
every call, jump table or address taken shows up as a relocation of the section that uses
it. This script reads the static archives given on the command line with `objdump`, builds
the graph "section -> sections and symbols it references" (inlined code is part of its
caller's section, so inlining cannot hide a call), and walks it from every secret entry
point listed in the entry file. It fails when

  - a walk reaches a symbol whose demangled name marks it as variable time (any name
    containing "_vartime", or one of the public-scalar routines listed in the entry file
    after "vartime:"), printing the call chain; or
  - an entry point matches no function (a rename or an inlined-away symbol must not
    silently switch the check off).

Usage: check_secret_paths.py ENTRY_FILE ARCHIVE...
Exit status 0 when every secret path is free of variable-time calls, 1 otherwise, 2 on a
usage or tool error.
"""
import collections
import re
import subprocess
import sys

SYMBOL_LINE = re.compile(r"^[0-9a-f]+ (.{7}) (\S+)\s+[0-9a-f]+\s+(?:\.hidden )?(\S+)$")
RELOC_HEADER = re.compile(r"^RELOCATION RECORDS FOR \[(.+)\]:$")
RELOC_LINE = re.compile(r"^[0-9a-f]+ (\S+)\s+(\S+?)(?:[+-]0x[0-9a-f]+)?$")
MEMBER_LINE = re.compile(r"^(\S+):\s+file format ")


def run(args):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"check_secret_paths: {' '.join(args[:2])} failed: {e}", file=sys.stderr)
        sys.exit(2)


def demangle_all(names):
    names = sorted(names)
    out = run_with_input(["c++filt"], "\n".join(names) + "\n").splitlines()
    if len(out) != len(names):
        print("check_secret_paths: c++filt returned the wrong number of lines", file=sys.stderr)
        sys.exit(2)
    return dict(zip(names, out))


def run_with_input(args, text):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True,
                              input=text).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"check_secret_paths: {args[0]} failed: {e}", file=sys.stderr)
        sys.exit(2)


def read_entry_file(path):
    entries, vartime = [], []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("vartime:"):
                vartime.append(line[len("vartime:"):].strip())
            else:
                entries.append(line)
    return entries, vartime


class Objects:
    """Symbols and relocations of every object file in the archives."""

    def __init__(self, archives):
        # (member, section) -> [function or object symbols defined there]
        self.defined_in = collections.defaultdict(list)
        self.local = {}                              # (member, symbol) -> section
        self.global_defs = collections.defaultdict(set)  # symbol -> {(member, section)}
        self.relocs = collections.defaultdict(set)   # (member, section) -> {target name}
        self.sections = collections.defaultdict(set)  # member -> section names
        for archive in archives:
            self._read_symbols(archive)
            self._read_relocs(archive)

    def _read_symbols(self, archive):
        member = None
        for line in run(["objdump", "-tw", archive]).splitlines():
            m = MEMBER_LINE.match(line)
            if m:
                member = f"{archive}({m.group(1)})"
                continue
            m = SYMBOL_LINE.match(line)
            if not m or member is None:
                continue
            flags, section, name = m.groups()
            if section in ("*UND*", "*ABS*", "*COM*"):
                continue
            self.sections[member].add(section)
            node = (member, section)
            if "F" in flags or "O" in flags:
                self.defined_in[node].append(name)
            if flags[0] in ("g", "u") or flags[1] == "w":
                self.global_defs[name].add(node)
            else:
                self.local[(member, name)] = section

    def _read_relocs(self, archive):
        member, section = None, None
        for line in run(["objdump", "-rw", archive]).splitlines():
            m = MEMBER_LINE.match(line)
            if m:
                member, section = f"{archive}({m.group(1)})", None
                continue
            m = RELOC_HEADER.match(line)
            if m:
                section = m.group(1)
                continue
            m = RELOC_LINE.match(line)
            if m and member is not None and section is not None and m.group(1).startswith("R_"):
                self.relocs[(member, section)].add(m.group(2))

    def targets(self, node):
        """(target node or None, symbol name or None) for every reference of `node`."""
        member = node[0]
        for name in sorted(self.relocs.get(node, ())):
            if name in self.sections[member]:
                yield (member, name), None
            elif (member, name) in self.local:
                yield (member, self.local[(member, name)]), name
            elif name in self.global_defs:
                for target in sorted(self.global_defs[name]):
                    yield target, name
            else:
                yield None, name  # defined outside the archives (libc, OpenSSL, libstdc++)


def main(argv):
    if len(argv) < 3:
        print("usage: check_secret_paths.py ENTRY_FILE ARCHIVE...", file=sys.stderr)
        return 2
    entries, vartime_names = read_entry_file(argv[1])
    objs = Objects(argv[2:])

    all_names = set()
    for names in objs.defined_in.values():
        all_names.update(names)
    for refs in objs.relocs.values():
        all_names.update(refs)
    pretty = demangle_all(all_names)

    def is_vartime(name):
        text = pretty.get(name, name)
        return "_vartime" in text or any(v in text for v in vartime_names)

    def label(node):
        names = objs.defined_in.get(node) or [node[1]]
        return pretty.get(names[0], names[0])

    failures = []
    starts = []
    for entry in entries:
        found = [node for node, names in objs.defined_in.items()
                 if any(pretty.get(n, n).startswith(entry) for n in names)]
        if not found:
            failures.append(f"entry point not found in the objects: {entry}")
        starts.extend(found)

    parent = {node: None for node in starts}
    queue = collections.deque(starts)
    reported = set()
    while queue:
        node = queue.popleft()
        for target, name in objs.targets(node):
            hit = name if name is not None and is_vartime(name) else None
            if hit is None and target is not None:
                hit = next((n for n in objs.defined_in.get(target, ()) if is_vartime(n)), None)
            if hit is not None:
                if (node, hit) not in reported:
                    reported.add((node, hit))
                    chain, cur = [], node
                    while cur is not None:
                        chain.append(label(cur))
                        cur = parent[cur]
                    failures.append("secret path reaches a variable-time routine:\n    " +
                                    "\n -> ".join(reversed(chain)) +
                                    "\n -> " + pretty.get(hit, hit))
                continue
            if target is not None and target not in parent:
                parent[target] = node
                queue.append(target)

    for f in failures:
        print(f)
    print(f"{len(starts)} entry functions, {len(parent)} sections reachable, "
          f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
