/*
 * tests/fuzz/fuzz.h - the libFuzzer entry point every target defines.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Built with --enable-fuzzing the targets link libFuzzer; otherwise they
 * link replay.c, whose main() replays the target's seed corpus so that
 * `make check` runs every corpus file under any compiler.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* TESTS_FUZZ_FUZZ_H */
