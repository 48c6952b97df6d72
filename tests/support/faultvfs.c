/* faultvfs.c - a VFS shim over the default VFS that fails writes after N bytes. */
#include <sqlite3.h>
#include <string.h>

#include "faultvfs.h"

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
} fault_file;

static sqlite3_vfs *parent;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_io;
static long long budget = -1; /* bytes still writable; -1 unlimited */
static long refused;

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods->xClose(REAL(f));
	f->pMethods = NULL;
	return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (budget >= 0) {
		if (n > budget) {
			refused++;
			return SQLITE_FULL;
		}
		budget -= n;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	fault_file *ff = (fault_file *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	int rc = parent->xOpen(parent, name, ff->real, flags, out_flags);
	f->pMethods = ff->real->pMethods ? &fault_io : NULL;
	return rc;
}

int tu_faultvfs_install(void)
{
	if (parent)
		return SQLITE_OK;
	parent = sqlite3_vfs_find(NULL);
	if (!parent)
		return SQLITE_ERROR;
	fault_vfs = *parent;
	fault_vfs.pNext = NULL;
	fault_vfs.zName = "tu_fault";
	fault_vfs.szOsFile = (int)sizeof(fault_file) + parent->szOsFile;
	fault_vfs.xOpen = f_open;
	fault_io = (sqlite3_io_methods){
	    3,		f_close,       f_read,	     f_write,	f_truncate, f_sync, f_size,
	    f_lock,	f_unlock,      f_check_lock, f_control, f_sector,   f_caps, f_shm_map,
	    f_shm_lock, f_shm_barrier, f_shm_unmap,  f_fetch,	f_unfetch};
	budget = -1;
	return sqlite3_vfs_register(&fault_vfs, 1);
}

void tu_faultvfs_uninstall(void)
{
	if (!parent)
		return;
	sqlite3_vfs_unregister(&fault_vfs);
	sqlite3_vfs_register(parent, 1);
	parent = NULL;
}

void tu_faultvfs_limit(long long bytes)
{
	budget = bytes;
	refused = 0;
}

long tu_faultvfs_refused(void)
{
	return refused;
}
