/*
 * resolver/util/reader.h - how the core asks for the contents of a file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The core (configuration, include: snippets, domains-files, zone files)
 * names files but never opens one: it asks a struct reader that its
 * caller supplies.  The daemon and the command line give the file system
 * reader of io/files.h; unit tests and fuzz targets give a map of path to
 * text (tests/unit/memfs.h), so they feed text directly.  Paths are
 * passed as the configuration spells them (made absolute against the
 * configuration's directory), so every "file:line: message" names the
 * file as today.  A reader is borrowed: a configuration keeps a pointer
 * to the one it was loaded with (the view set reads its zone files
 * through it), so it must outlive the configuration; its functions may be
 * called from any thread that loads.
 */
#ifndef RESOLVER_UTIL_READER_H
#define RESOLVER_UTIL_READER_H

#include <stdbool.h>
#include <stddef.h>

struct reader {
	/**
	 * read() - the whole file @path, at most @max bytes.
	 * @text: [out] on success, its bytes plus a terminating NUL, owned
	 *        by the caller (free()).
	 * @len:  [out] on success, the number of bytes (without the NUL).
	 * @err:  [out] on VPC_EIO, why: an errno value (ENOENT, EACCES,
	 *        EISDIR, EFBIG when larger than @max...), or 0 when it is
	 *        not a regular file (a FIFO, socket or device, which could
	 *        block a load).
	 * Return: VPC_OK; VPC_EIO; VPC_ENOMEM.
	 */
	int (*read)(void *arg, const char *path, size_t max, char **text,
		    size_t *len, int *err);
	/**
	 * list() - the paths that the glob(3) pattern @pattern matches,
	 * sorted.
	 * @paths: [out] on VPC_OK, @n strings in one array, the caller frees
	 *         them with reader_list_free(); NULL when @n is 0 (nothing
	 *         matches, which is not an error).
	 * Return: VPC_OK; VPC_EIO when a directory cannot be read;
	 * VPC_ENOMEM.
	 */
	int (*list)(void *arg, const char *pattern, char ***paths,
		    size_t *n);
	/** is_dir() - whether @path names a directory. */
	bool (*is_dir)(void *arg, const char *path);
	/**
	 * cwd() - the directory relative paths start from (a relative
	 * configuration path's), absolute, into @buf of @size bytes; false
	 * when it cannot be told (relative paths then stay relative).
	 */
	bool (*cwd)(void *arg, char *buf, size_t size);
	void *arg; /* passed to each function */
};

/**
 * reader_read() - @rd->read(), or ENOENT when @rd is NULL (a text loaded
 * without files: nothing it names can be read).  Arguments as read().
 */
int reader_read(const struct reader *rd, const char *path, size_t max,
		char **text, size_t *len, int *err);

/** reader_list() - @rd->list(); nothing matches when @rd is NULL. */
int reader_list(const struct reader *rd, const char *pattern, char ***paths,
		size_t *n);

/** reader_is_dir() - @rd->is_dir(); false when @rd is NULL. */
bool reader_is_dir(const struct reader *rd, const char *path);

/** reader_cwd() - @rd->cwd(); false when @rd is NULL. */
bool reader_cwd(const struct reader *rd, char *buf, size_t size);

/** reader_list_free() - frees what list() returned; NULL is a no-op. */
void reader_list_free(char **paths, size_t n);

/**
 * reader_strerror() - the text of a read()'s @err for a message:
 * strerror(@err), or "not a regular file (a FIFO, socket or device)" for
 * 0.  Static storage.
 */
const char *reader_strerror(int err);

#endif /* RESOLVER_UTIL_READER_H */
