/* The site's settings (name, description, sign-up mode, invitations a day, comment default, mail sender, how
 * warnings show), its
 * own pages (about, terms, privacy, FAQ, any slug; the terms versioned, with who accepted which), the banner.
 * Settings live in the store so every server and restart sees the admins' choice; a key the config file, the
 * environment or a flag sets wins, and the settings page says which value is fixed by whom. */
#ifndef QUIRE_ARCHIVE_SITE_H
#define QUIRE_ARCHIVE_SITE_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"

enum site_key {
	SITE_NAME,
	SITE_DESCRIPTION,
	SITE_SIGNUP_MODE,         /* "open", "closed", "invitation" */
	SITE_INVITATIONS_PER_DAY, /* sent from the request queue in any 24 hours */
	SITE_COMMENT_POLICY,      /* a new work's comment setting: "everyone", "registered", "nobody" */
	SITE_MAIL_FROM,
	SITE_WARNINGS,            /* archive warnings in blurbs and work pages: "shown", or "hidden" behind a click */
	SITE_KEY_COUNT
};

struct site_key_info {
	const char *key;             /* the config key (and the store's setting "site:KEY") */
	const char *label, *help;
	const char *const *choices;  /* NULL-terminated, or NULL for free text / numbers */
	const char *def;             /* when neither the config nor an admin set it */
	unsigned max;                /* characters (text) or the largest number */
	bool number;
};
extern const struct site_key_info site_keys[SITE_KEY_COUNT];

#define SITE_FOOTER_MAX 12       /* site pages linked in the footer */
#define SITE_BANNER_MAX 1000     /* characters of the banner's Markdown */
#define SITE_PAGE_MAX 100000     /* characters of a page's Markdown */
#define SITE_TITLE_MAX 200

/* The settings in force, with who fixed each (NULL: the admins choose on the web). */
struct site_settings {
	char value[SITE_KEY_COUNT][512];
	char fixed_by[SITE_KEY_COUNT][48];
	int64_t policy_version;      /* the terms' version accounts must accept; 0: no terms yet */
	char banner_html[8192];      /* sanitized; "" when there is none */
	int64_t banner_id;           /* changes with every new banner, so a dismissal is for one banner */
	struct { char slug[64], title[SITE_TITLE_MAX + 1]; } footer[SITE_FOOTER_MAX];
	int nfooter;
};
/* The comment setting a new work starts with (enum comment_policy): the admins' choice. */
int site_comment_default(struct community *c);
/* Whether archive warnings wait behind a "Show warnings" click (the admins' choice, for readers avoiding spoilers). */
bool site_warnings_hidden(struct community *c);
/* Reads the settings in force (config first, then the store, then the defaults). */
int site_settings_load(struct store *st, const struct config *cfg, struct arena *a, struct site_settings *out);
/* Saves an admin's choices (values[k] NULL: leave; keys the config fixes are refused in errors), logged. */
int site_settings_save(struct community *c, struct arena *a, const struct user *actor, const char *const *values,
                       struct field_errors *errors, const char **why);
/* Sets or clears ("" ) the banner, logged; a new banner shows again to those who dismissed the old one. */
int site_banner_save(struct community *c, struct arena *a, const struct user *actor, const char *markdown,
                     const char **why);

/* ---- The site's pages ---- */
/* Slugs are 1-60 lowercase letters, digits and hyphens; "tos" and "privacy" are the terms users accept. */
bool site_slug_ok(const char *slug);
bool site_slug_is_policy(const char *slug);
struct site_page_input {
	const char *slug, *title, *body; /* body: Markdown */
	bool in_footer;
	bool new_version;            /* the terms and privacy policy: everyone accepts the new version again */
};
int site_page_save(struct community *c, struct arena *a, const struct user *actor, const struct site_page_input *in,
                   struct field_errors *errors, const char **why);
int site_page_remove(struct community *c, struct arena *a, const struct user *actor, const char *slug, const char **why);
/* Whether u must (re)accept the terms now (policy_version from the settings in force). */
bool site_policy_pending(const struct user *u, int64_t policy_version);
/* u accepts the terms at version. */
int site_policy_accept(struct store *st, const struct user *u, int64_t version);
#endif
