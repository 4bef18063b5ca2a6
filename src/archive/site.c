/* The site's settings in force (config, store, defaults), saving them, the banner, the site's pages and the terms. */
#include "archive/site.h"
#include "archive/moderation.h"
#include "archive/response.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/format.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const signup_modes[] = {"open", "closed", "invitation", NULL};
static const char *const comment_policies[] = {"everyone", "registered", "nobody", NULL};
static const char *const warning_displays[] = {"shown", "hidden", NULL};

const struct site_key_info site_keys[SITE_KEY_COUNT] = {
	[SITE_NAME] = {"site_name", "Site name", "Shown in the header, page titles and mail.", NULL, "Quire", 100, false},
	[SITE_DESCRIPTION] = {"site_description", "Description", "A sentence or two about the archive, on the home page.",
	                      NULL, "", 500, false},
	[SITE_SIGNUP_MODE] = {"signup_mode", "Sign-up", "Open to anyone, closed, or by invitation only (people ask for "
	                      "one and the site sends invitations from the queue every day).", signup_modes, "open", 0, false},
	[SITE_INVITATIONS_PER_DAY] = {"invitations_per_day", "Invitations a day",
	                              "How many invitations the site sends from the request queue in any 24 hours.", NULL,
	                              "10", 10000, true},
	[SITE_COMMENT_POLICY] = {"comment_policy", "Who may comment on new works",
	                         "What a new work's comment setting starts as; its creators can change it.",
	                         comment_policies, "everyone", 0, false},
	[SITE_MAIL_FROM] = {"mail_from", "Mail sender", "The address mail comes from: addr, or Name <addr>.", NULL,
	                    "quire@localhost", 300, false},
	[SITE_WARNINGS] = {"warnings", "Archive warnings",
	                   "Shown in listings and on works, or hidden behind a \"Show warnings\" click for readers who "
	                   "avoid spoilers (the rating and the warning square stay).", warning_displays, "shown", 0, false},
};

int site_comment_default(struct community *c)
{
	char v[32];
	int p = comment_policy_parse(community_setting(c, SITE_COMMENT_POLICY, v, sizeof v));
	return p < 0 ? COMMENTS_EVERYONE : p;
}

bool site_warnings_hidden(struct community *c)
{
	char v[32];
	return !strcmp(community_setting(c, SITE_WARNINGS, v, sizeof v), "hidden");
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* What the config holds for key k when it set it. */
static const char *config_value(const struct config *cfg, enum site_key k, char *buf, size_t cap)
{
	switch (k) {
	case SITE_NAME: return cfg->site_name;
	case SITE_DESCRIPTION: return cfg->site_description;
	case SITE_SIGNUP_MODE: return cfg->signup_mode;
	case SITE_INVITATIONS_PER_DAY: snprintf(buf, cap, "%u", cfg->invitations_per_day); return buf;
	case SITE_MAIL_FROM: return cfg->mail_from;
	default: return NULL;
	}
}

static int64_t setting_int(struct store *st, struct arena *a, const char *key)
{
	char *v = NULL;
	return store_setting_get(st, a, key, &v) == 0 && v ? strtoll(v, NULL, 10) : 0;
}

int site_settings_load(struct store *st, const struct config *cfg, struct arena *a, struct site_settings *out)
{
	memset(out, 0, sizeof *out);
	for (int k = 0; k < SITE_KEY_COUNT; k++) {
		const struct site_key_info *ki = &site_keys[k];
		const char *from = cfg ? config_source(cfg, ki->key) : NULL;
		char buf[32];
		const char *cv = from ? config_value(cfg, (enum site_key)k, buf, sizeof buf) : NULL;
		if (cv) {
			copy(out->value[k], sizeof out->value[k], cv);
			copy(out->fixed_by[k], sizeof out->fixed_by[k], from);
			continue;
		}
		char *v = NULL;
		int rc = store_setting_get(st, a, arena_printf(a, "site:%s", ki->key), &v);
		if (rc && rc != Q_ENOTFOUND)
			return rc;
		/* Defaults the config has (site name, sender) count as defaults: the admins may change them. */
		const char *def = cfg && (k == SITE_NAME || k == SITE_MAIL_FROM) ? config_value(cfg, (enum site_key)k, buf, sizeof buf)
		                                                                : ki->def;
		copy(out->value[k], sizeof out->value[k], rc == 0 ? v : def);
	}
	out->policy_version = setting_int(st, a, "site:policy_version");
	out->banner_id = setting_int(st, a, "site:banner_id");
	char *banner = NULL;
	if (store_setting_get(st, a, "site:banner_html", &banner) == 0)
		copy(out->banner_html, sizeof out->banner_html, banner);
	struct site_page *pages;
	size_t n;
	if (store_site_pages_list(st, a, &pages, &n) == 0)
		for (size_t i = 0; i < n && out->nfooter < SITE_FOOTER_MAX; i++)
			if (pages[i].in_footer) {
				copy(out->footer[out->nfooter].slug, sizeof out->footer[0].slug, pages[i].slug);
				copy(out->footer[out->nfooter].title, sizeof out->footer[0].title, pages[i].title);
				out->nfooter++;
			}
	return 0;
}

static bool one_of(const char *const *choices, const char *v)
{
	for (size_t i = 0; choices[i]; i++)
		if (!strcmp(choices[i], v))
			return true;
	return false;
}

/* Why value is not acceptable for k, or NULL. */
static const char *value_problem(struct arena *a, enum site_key k, const char *v)
{
	const struct site_key_info *ki = &site_keys[k];
	if (!utf8_valid(v, strlen(v)))
		return "That is not valid text (UTF-8).";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return "One line, please, without control characters.";
	if (ki->choices && !one_of(ki->choices, v))
		return "Please choose one of the options.";
	if (ki->number) {
		if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 6 || (unsigned)atoi(v) > ki->max)
			return arena_printf(a, "A whole number from 0 to %u, please.", ki->max);
		return NULL;
	}
	if (!ki->choices && utf8_length(v, strlen(v)) > ki->max)
		return arena_printf(a, "At most %u characters, please.", ki->max);
	if (k == SITE_NAME && archive_text_invisible(v, strlen(v)))
		return "The site needs a name.";
	if (k == SITE_MAIL_FROM && !strchr(v, '@'))
		return "That does not look like an e-mail address.";
	return NULL;
}

int site_settings_save(struct community *c, struct arena *a, const struct user *actor, const char *const *values,
                       struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SETTINGS)) {
		*why = "Only administrators change the site's settings.";
		return Q_EPERM;
	}
	struct site_settings now;
	int rc = site_settings_load(st, community_config(c), a, &now);
	if (rc) {
		*why = "The settings could not be read.";
		return rc;
	}
	const char *changed = "";
	for (int k = 0; k < SITE_KEY_COUNT; k++) {
		if (!values[k])
			continue;
		const char *v = k == SITE_NAME || k == SITE_DESCRIPTION || k == SITE_MAIL_FROM ? archive_clean_line(a, values[k])
		                                                                                : values[k];
		if (!strcmp(v, now.value[k]))
			continue;
		if (*now.fixed_by[k]) {
			field_error(errors, site_keys[k].key, arena_printf(a, "Set by %s: change it there.", now.fixed_by[k]));
			continue;
		}
		const char *p = value_problem(a, (enum site_key)k, v);
		if (p) {
			field_error(errors, site_keys[k].key, p);
			continue;
		}
		changed = arena_printf(a, "%s%s%s: %s", changed, *changed ? "; " : "", site_keys[k].key, v);
	}
	if (errors->n) {
		*why = "Please check the settings.";
		return Q_EINVAL;
	}
	if (!*changed) {
		*why = "Nothing changed.";
		return 0;
	}
	if ((rc = store_tx_begin(st))) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	for (int k = 0; k < SITE_KEY_COUNT && rc == 0; k++) {
		if (!values[k] || *now.fixed_by[k])
			continue;
		const char *v = k == SITE_NAME || k == SITE_DESCRIPTION || k == SITE_MAIL_FROM ? archive_clean_line(a, values[k])
		                                                                                : values[k];
		if (strcmp(v, now.value[k]))
			rc = store_setting_set(st, arena_printf(a, "site:%s", site_keys[k].key), v);
	}
	if (rc == 0)
		rc = mod_log(st, actor, MOD_SETTINGS, "setting", 0, "site settings", NULL, "", changed, 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc ? "The settings could not be saved. Please try again." : "The settings were saved.";
	if (rc == 0)
		community_site_changed(c);
	return rc;
}

/* Markdown through the sanitizer; NULL with *why for text that is not valid. */
static const char *render(struct arena *a, const char *md, size_t max, const char **why)
{
	size_t len = strlen(md);
	if (!utf8_valid(md, len)) {
		*why = "That is not valid text (UTF-8).";
		return NULL;
	}
	if (utf8_length(md, len) > max) {
		*why = arena_printf(a, "At most %zu characters, please.", max);
		return NULL;
	}
	struct buf b = BUF_INIT;
	if (format_render(FORMAT_MARKDOWN, md, len, &b) != 0) {
		buf_free(&b);
		*why = "That is not valid text (UTF-8).";
		return NULL;
	}
	const char *html = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return html;
}

int site_banner_save(struct community *c, struct arena *a, const struct user *actor, const char *markdown,
                     const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SITE_PAGES)) {
		*why = "Only administrators set the banner.";
		return Q_EPERM;
	}
	const char *md = archive_trim(a, markdown);
	const char *html = *md ? render(a, md, SITE_BANNER_MAX, why) : "";
	if (!html)
		return Q_EINVAL;
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	int64_t id = setting_int(st, a, "site:banner_id") + 1;
	if ((rc = store_setting_set(st, "site:banner", md)) == 0 && (rc = store_setting_set(st, "site:banner_html", html)) == 0 &&
	    (rc = store_setting_set(st, "site:banner_id", arena_printf(a, "%lld", (long long)id))) == 0)
		rc = mod_log(st, actor, *md ? MOD_BANNER_SET : MOD_BANNER_CLEAR, "setting", id, "the banner", NULL, "", md, 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc ? "The banner could not be saved. Please try again." : *md ? "The banner is up." : "The banner is gone.";
	if (rc == 0)
		community_site_changed(c);
	return rc;
}

/* ---- Pages ------------------------------------------------------------------------------------- */

bool site_slug_ok(const char *slug)
{
	size_t n = slug ? strlen(slug) : 0;
	if (n < 1 || n > 60 || slug[0] == '-' || slug[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((slug[i] >= 'a' && slug[i] <= 'z') || (slug[i] >= '0' && slug[i] <= '9') || slug[i] == '-'))
			return false;
	return true;
}

bool site_slug_is_policy(const char *slug)
{
	return slug && (!strcmp(slug, "tos") || !strcmp(slug, "privacy"));
}

int site_page_save(struct community *c, struct arena *a, const struct user *actor, const struct site_page_input *in,
                   struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SITE_PAGES)) {
		*why = "Only administrators write the site's pages.";
		return Q_EPERM;
	}
	if (!site_slug_ok(in->slug))
		field_error(errors, "slug", "Addresses are 1 to 60 lowercase letters, digits and hyphens (about, faq, rules).");
	const char *title = archive_clean_line(a, in->title);
	if (!*title || archive_text_invisible(title, strlen(title)))
		field_error(errors, "title", "The page needs a title.");
	else if (utf8_length(title, strlen(title)) > SITE_TITLE_MAX)
		field_error(errors, "title", "A title can be at most 200 characters long.");
	const char *body = in->body ? in->body : "", *p = NULL;
	const char *html = render(a, body, SITE_PAGE_MAX, &p);
	if (!html)
		field_error(errors, "body", p);
	if (errors->n) {
		*why = "Please check the page.";
		return Q_EINVAL;
	}
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	struct site_page old;
	bool existed = store_site_page_get(st, a, in->slug, &old) == 0;
	bool policy = site_slug_is_policy(in->slug), bump = policy && (!existed || in->new_version);
	struct site_page pg = {.slug = in->slug, .title = title, .body = body, .body_html = html, .in_footer = in->in_footer,
	                       .updated_by = actor ? actor->name : "command line"};
	int64_t version = 0;
	if ((rc = store_site_page_put(st, &pg, existed && in->new_version, &version)) == 0 && bump)
		rc = store_setting_set(st, "site:policy_version",
		                       arena_printf(a, "%lld", (long long)setting_int(st, a, "site:policy_version") + 1));
	if (rc == 0)
		rc = mod_log(st, actor, MOD_PAGE_SAVE, "page", version, in->slug, NULL, "",
		             bump ? arena_printf(a, "version %lld: everyone accepts it again", (long long)version)
		                  : arena_printf(a, "version %lld", (long long)version), 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc ? "The page could not be saved. Please try again." : "The page was saved.";
	if (rc == 0)
		community_site_changed(c);
	return rc;
}

int site_page_remove(struct community *c, struct arena *a, const struct user *actor, const char *slug, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SITE_PAGES)) {
		*why = "Only administrators write the site's pages.";
		return Q_EPERM;
	}
	if (site_slug_is_policy(slug)) {
		*why = "The terms and the privacy policy are kept: write a new version instead.";
		return Q_EINVAL;
	}
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	if ((rc = store_site_page_delete(st, slug)) == 0)
		rc = mod_log(st, actor, MOD_PAGE_DELETE, "page", 0, slug, NULL, "", "", 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc == Q_ENOTFOUND ? "There is no such page." : rc ? "The page could not be deleted." : "The page was deleted.";
	if (rc == 0)
		community_site_changed(c);
	return rc;
}

bool site_policy_pending(const struct user *u, int64_t policy_version)
{
	return u && policy_version > 0 && u->policy_accepted < policy_version;
}

int site_policy_accept(struct store *st, const struct user *u, int64_t version)
{
	return u ? store_policy_accept(st, u->id, version) : Q_EPERM;
}
