/*
 * resolver/io/files.h - the file system reader the core reads through.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The one implementation of struct reader (util/reader.h) on real files:
 * the daemon and the command line pass &files_reader to conf_load_file()
 * and conf_load_string(), and every file a configuration names (include:
 * snippets, domains-files, zone files) is read through it.  Plain POSIX
 * (open, fstat, glob, stat, getcwd), no libuv: it is built as libvpcfiles.la so
 * that tests which read real files (tests/replay, the file tests of
 * check_conf) can link it beside libvpccore.  Stateless and thread-safe:
 * a reload reads in a worker thread.
 */
#ifndef RESOLVER_IO_FILES_H
#define RESOLVER_IO_FILES_H

#include "util/reader.h"

/*
 * Reads regular files whole, opened non-blocking so that naming a FIFO
 * cannot stall a (re)load (it is refused, err 0); the null device reads as
 * an empty file (`-c /dev/null`); a directory is EISDIR, a file larger
 * than the caller's maximum EFBIG.  list() is glob(3) (sorted); is_dir()
 * is stat(2); cwd() is getcwd(3).
 */
extern const struct reader files_reader;

#endif /* RESOLVER_IO_FILES_H */
