/* One error convention: functions that can fail return int, 0 for success, a negative Q_E* code otherwise. */
#ifndef QUIRE_CORE_ERR_H
#define QUIRE_CORE_ERR_H

enum {
	Q_OK = 0,
	Q_ERR = -1,       /* internal failure (I/O, database); logged where it happened */
	Q_ENOTFOUND = -2, /* no such row or object */
	Q_EEXIST = -3,    /* unique constraint: name or e-mail taken */
	Q_EINVAL = -4,    /* input failed validation */
	Q_EPERM = -5,     /* not allowed */
	Q_ETOOBIG = -6,   /* over a documented limit */
	Q_EBUSY = -7,     /* try again later (locked, rate limited) */
	Q_EUNAVAIL = -8,  /* the store cannot be read or written now (database down, disk full): try again later */
};

/* A short English description of a Q_E* code. */
const char *err_str(int rc);
#endif
