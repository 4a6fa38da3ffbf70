/*
 * resolver/io/privdrop.c - run as an unprivileged user after binding.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * setgroups() first (to the user's own groups), then setgid(), then
 * setuid(): after setuid() the others are refused.  setuid() as root sets
 * the real, effective and saved uid, so the capability sets are cleared
 * too (capabilities(7), "Effect of user ID changes on capabilities").
 */
#include "config.h"

#include "io/privdrop.h"

#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"
#include "util/log.h"

int
privdrop_lookup(const char *name, struct privdrop *out)
{
	struct passwd *pw;
	char *end;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		unsigned long uid = strtoul(name, &end, 10);

		if (*name != '\0' && *end == '\0')
			pw = getpwuid((uid_t)uid);
	}
	if (pw == NULL) {
		log_err("daemon: --user %s: no such user", name);
		return VPC_ENOTFOUND;
	}
	if (geteuid() != 0) {
		log_err("daemon: --user %s needs to start as root (or drop "
			"--user and grant CAP_NET_BIND_SERVICE instead)",
			name);
		return VPC_ECONFIG;
	}
	snprintf(out->name, sizeof(out->name), "%s", pw->pw_name);
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	return VPC_OK;
}

int
privdrop_apply(const struct privdrop *pd)
{
	if (pd->name[0] == '\0')
		return VPC_OK;
	if (initgroups(pd->name, pd->gid) != 0 &&
	    setgroups(1, &pd->gid) != 0) {
		log_err("daemon: setgroups for %s failed: %s", pd->name,
			strerror(errno));
		return VPC_EIO;
	}
	if (setgid(pd->gid) != 0) {
		log_err("daemon: setgid(%u) failed: %s", (unsigned)pd->gid,
			strerror(errno));
		return VPC_EIO;
	}
	if (setuid(pd->uid) != 0) {
		log_err("daemon: setuid(%u) failed: %s", (unsigned)pd->uid,
			strerror(errno));
		return VPC_EIO;
	}
	if (pd->uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
		log_err("daemon: still able to become root after dropping "
			"to %s",
			pd->name);
		return VPC_EIO;
	}
	log_notice("daemon: running as user %s uid=%u gid=%u", pd->name,
		   (unsigned)pd->uid, (unsigned)pd->gid);
	return VPC_OK;
}
