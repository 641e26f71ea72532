#!/usr/bin/env python3
"""Checks that the stages of scripts/test.sh together run every CTest test exactly once.

usage: check_test_stages.py TEST_SH RELEASE_BUILD_DIR ASAN_BUILD_DIR [--in-both NAME]...

The asan stage runs `ctest --preset asan`, i.e. everything registered in the asan build tree.
The release stage runs programs itself: a test counts as run there when TEST_SH names it as the
last part of a path on a line that is not a comment (a test program by its name, as in
build/release/tests/e2e/e2e_api_flood_test; a script test by its script's file name, as in
tests/web/doctor_page_test.py). A test is identified by its program: the executable of a GoogleTest test (when the program
does not exist, CMake's gtest_discover_tests registers one test named after it with the suffix
_NOT_BUILT, which fails when run, and the program is read from that name), or the test's name
for a script test (python3, sh). Fails, naming them, on:
  - a test registered in the release tree that neither stage runs (for example a new test left
    out of the sanitizer build that scripts/test.sh does not run in release);
  - a test that both stages run, unless it is named with --in-both (a test that checks
    something else in each build, such as the zeroization scan, which skips itself under ASan);
  - a program of the asan tree that was not built (CMake's _NOT_BUILT test would only fail there).
"""
import json
import os
import re
import subprocess
import sys


def programs(build_dir):
    """{program: word that names it in test.sh}, and the programs not built."""
    out = subprocess.run(["ctest", "--test-dir", build_dir, "-N", "--show-only=json-v1"],
                         check=True, capture_output=True, text=True).stdout
    build_dir = os.path.realpath(build_dir)
    found, not_built = {}, set()
    for test in json.loads(out)["tests"]:
        name = test["name"]
        command = test.get("command") or []
        if "_NOT_BUILT" in name:
            program = word = name.split("_NOT_BUILT")[0]
            not_built.add(program)
        elif command and os.path.realpath(command[0]).startswith(build_dir + os.sep):
            program = word = os.path.basename(command[0])
        else:
            program = name
            scripts = [os.path.basename(a) for a in command[1:2] if a.endswith(".py")]
            word = scripts[0] if scripts else name
        found[program] = word
    return found, not_built


def named_in(script_path, words):
    code = []
    for line in open(script_path, encoding="utf-8"):
        line = line.split(" #", 1)[0]
        if not line.lstrip().startswith("#"):
            code.append(line)
    text = "\n".join(code)
    # As the last part of a path (build/release/tests/e2e/<program>, tests/web/<script>.py), so
    # that a program only named in the build's --target list does not count as run.
    return {w for w in words if re.search(r"/" + re.escape(w) + r"(?![A-Za-z0-9_.])", text)}


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    test_sh, release_dir, asan_dir, rest = argv[1], argv[2], argv[3], argv[4:]
    in_both = set()
    for i in range(0, len(rest), 2):
        if rest[i] != "--in-both" or i + 1 >= len(rest):
            print(__doc__, file=sys.stderr)
            return 2
        in_both.add(rest[i + 1])
    release, _ = programs(release_dir)
    asan, asan_not_built = programs(asan_dir)
    named = named_in(test_sh, set(release.values()))
    release_stage = {p for p, w in release.items() if w in named}
    errors = []
    for p in sorted(set(release) - set(asan) - release_stage):
        errors.append(f"{p}: registered in the release build, run by no stage of {test_sh}")
    for p in sorted((release_stage & set(asan)) - in_both):
        errors.append(f"{p}: run by both stages (the asan build registers it, {test_sh} runs it in release)")
    for p in sorted(in_both - (release_stage & set(asan))):
        errors.append(f"{p}: named with --in-both but not run by both stages")
    for p in sorted(asan_not_built):
        errors.append(f"{p}: registered in the asan build but not built")
    for e in errors:
        print(f"check_test_stages: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"check_test_stages: {len(asan)} test programs in the asan stage, {len(release_stage)} in the release "
          f"stage ({', '.join(sorted(release_stage))}; {len(in_both)} of them also in asan, checking something "
          f"else there); none left out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
