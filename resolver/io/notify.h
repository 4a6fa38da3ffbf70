/*
 * resolver/io/notify.h - service manager notifications (sd_notify).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * systemd's documented datagram protocol (sd_notify(3), "NOTIFY_SOCKET"):
 * newline-separated VAR=VALUE assignments in one datagram to the AF_UNIX
 * socket named by $NOTIFY_SOCKET ('@' first: the abstract namespace).
 * Without the variable every call does nothing, so the daemon calls it
 * unconditionally.  Written here rather than linking libsystemd: a
 * sendto() is all a Type=notify service needs.
 */
#ifndef RESOLVER_IO_NOTIFY_H
#define RESOLVER_IO_NOTIFY_H

/**
 * notify_send() - send @state (e.g. "READY=1\nSTATUS=serving") to the
 * service manager; errors are logged at debug level and ignored (a
 * manager that went away must not stop the daemon).
 */
void notify_send(const char *state);

#endif /* RESOLVER_IO_NOTIFY_H */
