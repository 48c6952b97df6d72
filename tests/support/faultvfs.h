/* faultvfs.h - a fault-injecting SQLite VFS for the unit tests: a disk that fills up.
 *
 * It passes every call to the default VFS and counts the bytes written to every file
 * (database, WAL, journal); once a budget is spent, each further write fails with
 * SQLITE_FULL as a full disk would.  No root, no tmpfs. */
#ifndef IDEABANK_FAULTVFS_H
#define IDEABANK_FAULTVFS_H

/* Register the VFS "tu_fault" over the current default one and make it the default,
 * with no budget.  Returns an SQLite code. */
int tu_faultvfs_install(void);
/* Make the previous default VFS the default again. */
void tu_faultvfs_uninstall(void);
/* Let bytes more bytes be written, then fail writes; -1 lifts the limit. */
void tu_faultvfs_limit(long long bytes);
/* Writes refused since the limit was last set. */
long tu_faultvfs_refused(void);

#endif
