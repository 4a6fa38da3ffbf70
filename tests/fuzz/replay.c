/*
 * tests/fuzz/replay.c - replay a fuzz target's corpus without libFuzzer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * With arguments, replays those files; without, replays every file of
 * $TOP_SRCDIR/tests/fuzz/corpus/<program name>/.  A crash or sanitizer
 * report fails the test; otherwise prints one PASS line.
 */
#include "config.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)len + 1)) == NULL ||
	    fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		fprintf(stderr, "FAIL: cannot read %s\n", path);
		if (fp != NULL)
			fclose(fp);
		free(buf);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	char dir[4096], path[8192];
	const char *top = getenv("TOP_SRCDIR");
	struct dirent *de;
	DIR *d;
	int n = 0, bad = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			bad |= replay_file(argv[i]);
		return bad;
	}
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
		 top != NULL ? top : ".", basename(argv[0]));
	if ((d = opendir(dir)) == NULL) {
		printf("FAIL: fuzz %s: no corpus at %s\n", basename(argv[0]),
		       dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		bad |= replay_file(path);
		n++;
	}
	closedir(d);
	printf("%s: fuzz %s: %d corpus files replayed\n",
	       bad ? "FAIL" : "PASS", basename(argv[0]), n);
	return bad;
}
