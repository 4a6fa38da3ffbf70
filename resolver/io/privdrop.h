/*
 * resolver/io/privdrop.h - run as an unprivileged user after binding.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `--user NAME`: the user is looked up before anything is bound (so a
 * typo fails at once), and the process switches to it (supplementary
 * groups, group, user: in that order, or the group change would be
 * refused) once every listener is bound.  Nothing privileged is needed
 * afterwards: listeners do not change on reload.
 */
#ifndef RESOLVER_IO_PRIVDROP_H
#define RESOLVER_IO_PRIVDROP_H

#include <sys/types.h>

#include <stdbool.h>

struct privdrop {
	char name[64];  /* the user, "" = stay as we are */
	uid_t uid;
	gid_t gid;
};

/**
 * privdrop_lookup() - find user @name (a name or a numeric uid).
 * @out: [out] filled on success.
 * Return: VPC_OK; VPC_ENOTFOUND (logged) when there is no such user;
 * VPC_ECONFIG (logged) when not running as root, which a switch needs.
 */
int privdrop_lookup(const char *name, struct privdrop *out);

/**
 * privdrop_apply() - switch to the user of @pd; a no-op when its name is
 * empty.  Verifies that root cannot be regained.
 * Return: VPC_OK; VPC_EIO (logged with the failing call) otherwise: the
 * caller must not go on serving with privileges it meant to drop.
 */
int privdrop_apply(const struct privdrop *pd);

#endif /* RESOLVER_IO_PRIVDROP_H */
