/*
 * resolver/io/notify.c - service manager notifications (sd_notify).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One socket per message: notifications are rare (start, reload, stop),
 * and opening it each time needs no state that a privilege drop or a fork
 * could invalidate.
 */
#include "config.h"

#include "io/notify.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

void
notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t plen;
	socklen_t alen;
	int fd;

	if (path == NULL || path[0] == '\0')
		return;
	/* sd_notify(3): an absolute path or '@' for the abstract namespace. */
	plen = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(sun.sun_path)) {
		log_debug("notify: NOTIFY_SOCKET '%s' is not usable", path);
		return;
	}
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
			   (path[0] == '@' ? 0 : 1));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (const struct sockaddr *)&sun, alen) < 0)
		log_debug("notify: cannot send to %s: %s", path,
			  strerror(errno));
	close(fd);
}
