/* The eFiction mapping: defaults by name, written and read as INI. */
#include "import/efiction_map.h"
#include "core/err.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ratings_ao3[] = {"General Audiences", "Teen And Up Audiences", "Mature", "Explicit",
                                          "Not Rated", NULL};
static const char *const warnings_ao3[] = {"Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence",
                                           "Major Character Death", "No Archive Warnings Apply", "Rape/Non-Con",
                                           "Underage Sex", NULL};
static const char *const categories_ao3[] = {"F/F", "F/M", "Gen", "M/M", "Multi", "Other", NULL};

/* s lowered with everything but letters and digits dropped: "PG-13" -> "pg13". */
static void squash(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++)
		if (isalnum((unsigned char)*s))
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = 0;
}

static bool has(const char *s, const char *w)
{
	return strcasestr(s, w) != NULL;
}

static const char *default_rating(const char *name)
{
	char k[64];
	squash(name, k, sizeof k);
	static const struct {
		const char *key, *to;
	} exact[] = {
		{"g", "General Audiences"}, {"k", "General Audiences"}, {"kplus", "General Audiences"},
		{"k", "General Audiences"}, {"pg", "General Audiences"}, {"allages", "General Audiences"},
		{"everyone", "General Audiences"}, {"t", "Teen And Up Audiences"}, {"pg13", "Teen And Up Audiences"},
		{"teen", "Teen And Up Audiences"}, {"teens", "Teen And Up Audiences"}, {"r", "Mature"}, {"m", "Mature"},
		{"ma", "Explicit"}, {"nc17", "Explicit"}, {"x", "Explicit"}, {"xxx", "Explicit"}, {"adult", "Explicit"},
		{"adults", "Explicit"}, {"18", "Explicit"}, {"nr", "Not Rated"}, {"unrated", "Not Rated"},
	};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (!strcmp(k, exact[i].key))
			return exact[i].to;
	if (has(name, "explicit") || has(name, "nc-17") || has(name, "adult"))
		return "Explicit";
	if (has(name, "mature"))
		return "Mature";
	if (has(name, "teen") || has(name, "pg-13"))
		return "Teen And Up Audiences";
	if (has(name, "general") || has(name, "all ages") || has(name, "everyone"))
		return "General Audiences";
	return "Not Rated";
}

/* A class: a pairing type becomes a category, a warning AO3 knows a warning, anything else an additional tag. */
static void default_class(const char *name, const char *type, enum efmap_kind *kind, const char **to)
{
	char k[64];
	squash(name, k, sizeof k);
	static const struct {
		const char *key, *to;
	} pairings[] = {
		{"het", "F/M"}, {"slash", "M/M"}, {"femslash", "F/F"}, {"femmeslash", "F/F"}, {"gen", "Gen"},
		{"general", "Gen"}, {"multi", "Multi"}, {"multiple", "Multi"}, {"fm", "F/M"}, {"mm", "M/M"}, {"ff", "F/F"},
	};
	for (size_t i = 0; i < sizeof pairings / sizeof pairings[0]; i++)
		if (!strcmp(k, pairings[i].key)) {
			*kind = EFMAP_CATEGORY;
			*to = pairings[i].to;
			return;
		}
	bool warning = has(type, "warn");
	*kind = EFMAP_FREEFORM;
	*to = name;
	if (!warning)
		return;
	if (has(name, "death") || has(name, "dies"))
		*kind = EFMAP_WARNING, *to = "Major Character Death";
	else if (has(name, "violen") || has(name, "gore"))
		*kind = EFMAP_WARNING, *to = "Graphic Depictions Of Violence";
	else if (has(name, "rape") || has(name, "non-con") || has(name, "noncon"))
		*kind = EFMAP_WARNING, *to = "Rape/Non-Con";
	else if (has(name, "underage"))
		*kind = EFMAP_WARNING, *to = "Underage Sex";
	else if (!strcmp(k, "none") || !strncmp(k, "nowarning", 9) || !strncmp(k, "noarchivewarning", 16))
		*kind = EFMAP_WARNING, *to = "No Archive Warnings Apply";
}

void efiction_map_defaults(struct arena *a, const struct efiction *ef, struct efiction_map *m)
{
	memset(m, 0, sizeof *m);
	m->no_warning = "Creator Chose Not To Use Archive Warnings";
	m->no_rating = "Not Rated";
	m->review_ratings = true;
	m->site = efiction_line(a, ef->settings.sitename && *ef->settings.sitename ? ef->settings.sitename : "eFiction", NULL);
	m->ratings = arena_calloc(a, ef->nratings + 1, sizeof *m->ratings);
	for (size_t i = 0; i < ef->nratings; i++) {
		const char *name = efiction_line(a, ef->ratings[i].name, NULL);
		m->ratings[m->nratings++] = (struct efmap_rating){ef->ratings[i].rid, name, default_rating(name)};
	}
	m->classes = arena_calloc(a, ef->nclasses + 1, sizeof *m->classes);
	for (size_t i = 0; i < ef->nclasses; i++) {
		const struct ef_class *c = &ef->classes[i];
		const char *type = "";
		for (size_t k = 0; k < ef->nclasstypes; k++)
			if (ef->classtypes[k].id == c->type)
				type = *ef->classtypes[k].title ? ef->classtypes[k].title : ef->classtypes[k].name;
		struct efmap_class *x = &m->classes[m->nclasses++];
		x->id = c->id;
		x->name = efiction_line(a, c->name, NULL);
		x->type = efiction_line(a, type, NULL);
		default_class(x->name, x->type, &x->kind, &x->to);
	}
	m->categories = arena_calloc(a, ef->ncategories + 1, sizeof *m->categories);
	for (size_t i = 0; i < ef->ncategories; i++) {
		const struct ef_category *c = &ef->categories[i];
		struct efmap_category *x = &m->categories[m->ncategories++];
		x->catid = c->catid;
		x->parent = c->parent;
		x->name = efiction_line(a, c->name, NULL);
		x->to = x->name;
	}
	/* a sub-category is named with its parents: "Starfall Academy: First Year" */
	for (size_t i = 0; i < m->ncategories; i++) {
		struct efmap_category *x = &m->categories[i];
		const char *name = x->name;
		int64_t p = x->parent;
		for (int depth = 0; p > 0 && depth < 8; depth++) {
			const struct efmap_category *up = efiction_map_category(m, p);
			if (!up)
				break;
			name = arena_printf(a, "%s: %s", up->name, name);
			p = up->parent;
		}
		x->to = name;
	}
}

const struct efmap_rating *efiction_map_rating(const struct efiction_map *m, int64_t rid)
{
	for (size_t i = 0; i < m->nratings; i++)
		if (m->ratings[i].rid == rid)
			return &m->ratings[i];
	return NULL;
}

const struct efmap_class *efiction_map_class(const struct efiction_map *m, int64_t id)
{
	for (size_t i = 0; i < m->nclasses; i++)
		if (m->classes[i].id == id)
			return &m->classes[i];
	return NULL;
}

const struct efmap_category *efiction_map_category(const struct efiction_map *m, int64_t catid)
{
	for (size_t i = 0; i < m->ncategories; i++)
		if (m->categories[i].catid == catid)
			return &m->categories[i];
	return NULL;
}

static const char *kind_name(enum efmap_kind k)
{
	return k == EFMAP_WARNING ? "warning" : k == EFMAP_CATEGORY ? "category" : k == EFMAP_DROP ? "drop" : "tag";
}

/* INI keys are names; a name with "=" or a leading "[" or "#" cannot be one: such characters are left out. */
static void put_key(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s != '=' && *s != '\n' && *s != '\r')
			fputc(*s, f);
}

void efiction_map_write(const struct efiction_map *m, FILE *f)
{
	fprintf(f, "# How the eFiction archive \"%s\" becomes Quire's. Edit the right-hand sides, then run\n"
	           "#   quire import efiction ... --mapping THIS_FILE\n"
	           "# Lines starting with # are comments.\n\n", m->site);
	fprintf(f, "[site]\n# How imported works name the archive they came from.\nname = %s\n\n", m->site);
	fprintf(f, "[ratings]\n# eFiction rating = one of: General Audiences, Teen And Up Audiences, Mature, Explicit, Not Rated\n");
	for (size_t i = 0; i < m->nratings; i++) {
		put_key(f, m->ratings[i].name);
		fprintf(f, " = %s\n", m->ratings[i].to);
	}
	fprintf(f, "# a story whose rating is missing\n(none) = %s\n\n", m->no_rating);
	fprintf(f, "[classes]\n# eFiction class = tag: NAME (an additional tag), warning: AO3 WARNING, category: F/F, F/M, "
	           "Gen, M/M, Multi or Other,\n# or drop. AO3's warnings: Graphic Depictions Of Violence, Major Character "
	           "Death, No Archive Warnings Apply,\n# Rape/Non-Con, Underage Sex, Creator Chose Not To Use Archive Warnings.\n");
	const char *type = NULL;
	for (size_t i = 0; i < m->nclasses; i++) {
		const struct efmap_class *c = &m->classes[i];
		if (!type || strcmp(type, c->type)) {
			fprintf(f, "# class type: %s\n", *c->type ? c->type : "(none)");
			type = c->type;
		}
		put_key(f, c->name);
		if (c->kind == EFMAP_DROP)
			fprintf(f, " = drop\n");
		else
			fprintf(f, " = %s: %s\n", kind_name(c->kind), c->to);
	}
	fprintf(f, "\n[warnings]\n# the warning of a story no class warned about\n(none) = %s\n\n", m->no_warning);
	fprintf(f, "[categories]\n# eFiction category = the fandom it becomes (a sub-category's parents become its meta tags)\n");
	for (size_t i = 0; i < m->ncategories; i++) {
		put_key(f, m->categories[i].name);
		fprintf(f, " = %s\n", m->categories[i].to);
	}
	fprintf(f, "\n[reviews]\n# keep a review's rating in its text (\"Liked it\", \"Rated 4\"), or drop it\nratings = %s\n",
	        m->review_ratings ? "keep" : "drop");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static const char *one_of(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcasecmp(list[i], s))
			return list[i];
	return NULL;
}

int efiction_map_read(struct arena *a, const char *path, struct efiction_map *m, const char **why)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		*why = arena_printf(a, "cannot open the mapping %s", path);
		return Q_EINVAL;
	}
	char line[2048], section[32] = "";
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end - s - 1 >= (long)sizeof section) {
				*why = arena_printf(a, "%s:%d: a section is written [name]", path, lineno);
				rc = Q_EINVAL;
				break;
			}
			*end = 0;
			snprintf(section, sizeof section, "%s", trim(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			*why = arena_printf(a, "%s:%d: a line is written NAME = VALUE", path, lineno);
			rc = Q_EINVAL;
			break;
		}
		*eq = 0;
		const char *key = arena_strdup(a, trim(s)), *val = arena_strdup(a, trim(eq + 1));
		bool found = false;
		if (!strcmp(section, "site")) {
			if (!strcasecmp(key, "name") && *val)
				m->site = val, found = true;
		} else if (!strcmp(section, "ratings")) {
			const char *r = one_of(ratings_ao3, val);
			if (!r) {
				*why = arena_printf(a, "%s:%d: \"%s\" is not a rating (General Audiences, Teen And Up Audiences, "
				                    "Mature, Explicit, Not Rated)", path, lineno, val);
				rc = Q_EINVAL;
				break;
			}
			if (!strcmp(key, "(none)"))
				m->no_rating = r, found = true;
			for (size_t i = 0; i < m->nratings; i++)
				if (!strcasecmp(m->ratings[i].name, key))
					m->ratings[i].to = r, found = true;
		} else if (!strcmp(section, "classes")) {
			enum efmap_kind kind = EFMAP_DROP;
			const char *to = "";
			if (strcasecmp(val, "drop") != 0) {
				const char *colon = strchr(val, ':');
				const char *what = colon ? arena_strndup(a, val, (size_t)(colon - val)) : "";
				to = colon ? arena_strdup(a, trim((char *)colon + 1)) : "";
				if (!strcasecmp(what, "tag") && *to)
					kind = EFMAP_FREEFORM;
				else if (!strcasecmp(what, "warning") && one_of(warnings_ao3, to))
					kind = EFMAP_WARNING, to = one_of(warnings_ao3, to);
				else if (!strcasecmp(what, "category") && one_of(categories_ao3, to))
					kind = EFMAP_CATEGORY, to = one_of(categories_ao3, to);
				else {
					*why = arena_printf(a, "%s:%d: a class becomes \"tag: NAME\", \"warning: AO3 WARNING\", "
					                    "\"category: F/M\" (F/F, Gen, M/M, Multi, Other) or \"drop\"", path, lineno);
					rc = Q_EINVAL;
					break;
				}
			}
			for (size_t i = 0; i < m->nclasses; i++)
				if (!strcasecmp(m->classes[i].name, key))
					m->classes[i].kind = kind, m->classes[i].to = to, found = true;
		} else if (!strcmp(section, "warnings")) {
			const char *w = one_of(warnings_ao3, val);
			if (w && !strcmp(key, "(none)"))
				m->no_warning = w, found = true;
		} else if (!strcmp(section, "categories")) {
			for (size_t i = 0; i < m->ncategories; i++)
				if (!strcasecmp(m->categories[i].name, key) && *val)
					m->categories[i].to = val, found = true;
		} else if (!strcmp(section, "reviews")) {
			if (!strcasecmp(key, "ratings") && (!strcasecmp(val, "keep") || !strcasecmp(val, "drop")))
				m->review_ratings = !strcasecmp(val, "keep"), found = true;
		}
		if (!found) {
			*why = arena_printf(a, "%s:%d: \"%s\" is not something this archive has in [%s]", path, lineno, key,
			                    section);
			rc = Q_EINVAL;
		}
	}
	fclose(f);
	return rc;
}
