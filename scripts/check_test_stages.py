#!/usr/bin/env python3
"""Checks that the stages of scripts/test.sh together run every CTest test exactly once.

usage: check_test_stages.py RELEASE_BUILD_DIR ASAN_BUILD_DIR [--in-both NAME]... RELEASE_TEST...

The asan stage runs `ctest --preset asan`, i.e. everything registered in the asan build tree. The
release stage runs the programs named RELEASE_TEST (test programs or CTest script tests) itself.
A test is identified by its program: the executable of a GoogleTest test (or of its
"<program>_NOT_BUILT" placeholder, while the program is not built), or the test's name for a
script test (python3, sh). Fails, naming them, on:
  - a program registered in the release tree that neither stage runs (for example a new test
    left out of the sanitizer build that scripts/test.sh does not run in release);
  - a RELEASE_TEST registered in neither tree (a misspelt name);
  - a RELEASE_TEST that the asan stage runs too, unless it is named with --in-both (a test that
    checks something else in each build, such as the zeroization scan, which skips itself
    under ASan);
  - a program of the asan tree that was not built (its placeholder would only fail there).
"""
import json
import os
import subprocess
import sys


def programs(build_dir):
    out = subprocess.run(["ctest", "--test-dir", build_dir, "-N", "--show-only=json-v1"],
                         check=True, capture_output=True, text=True).stdout
    build_dir = os.path.realpath(build_dir)
    found, not_built = set(), set()
    for test in json.loads(out)["tests"]:
        name = test["name"]
        command = test.get("command") or []
        if "_NOT_BUILT" in name:
            program = name.split("_NOT_BUILT")[0]
            not_built.add(program)
        elif command and os.path.realpath(command[0]).startswith(build_dir + os.sep):
            program = os.path.basename(command[0])
        else:
            program = name
        found.add(program)
    return found, not_built


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    release_dir, asan_dir, rest = argv[1], argv[2], argv[3:]
    in_both, release_stage = set(), set()
    i = 0
    while i < len(rest):
        if rest[i] == "--in-both" and i + 1 < len(rest):
            in_both.add(rest[i + 1])
            i += 2
        else:
            release_stage.add(rest[i])
            i += 1
    release, _ = programs(release_dir)
    asan, asan_not_built = programs(asan_dir)
    errors = []
    for p in sorted(release - asan - release_stage):
        errors.append(f"{p}: registered in the release build, run by no stage of scripts/test.sh")
    for p in sorted(release_stage - release - asan):
        errors.append(f"{p}: named as a release-stage test but registered in no build tree")
    for p in sorted((release_stage & asan) - in_both):
        errors.append(f"{p}: run by both stages (the asan build registers it too)")
    for p in sorted(asan_not_built):
        errors.append(f"{p}: registered in the asan build but not built")
    for e in errors:
        print(f"check_test_stages: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"check_test_stages: {len(asan)} programs in the asan stage, {len(release_stage)} in the release "
          f"stage ({len(in_both)} of them also in asan, checking something else there); none left out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
