/* The demo archive's wrangling: its fandoms canonical with their media, characters and relationships
 * under their fandoms, a synonym and a meta tag, as src/demo/demo.json's "wrangling" object says. */
#include "demo/demo.h"
#include "archive/tags.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <jansson.h>
#include <string.h>

static int apply(struct store *st, struct arena *a, enum tag_type type, const char *name,
                 const struct tag_wrangle_input *in)
{
	struct tag t;
	const char *why = NULL;
	int rc = archive_tag_find(st, a, type, name, &t);
	if (rc == 0)
		rc = archive_tag_apply(st, a, &t, in, &why);
	if (rc)
		log_warn("demo: wrangling %s \"%s\": %s", tag_type_key(type), name, why ? why : err_str(rc));
	return rc;
}

/* The works' fandoms of each character and relationship, comma-separated, from demo.json itself. */
static const char *fandoms_of(struct arena *a, json_t *works, const char *key, const char *name)
{
	const char *s = "";
	size_t i, k;
	json_t *w, *v;
	json_array_foreach(works, i, w) {
		bool has = false;
		json_array_foreach(json_object_get(w, key), k, v)
			has |= json_is_string(v) && !strcmp(json_string_value(v), name);
		if (!has)
			continue;
		json_array_foreach(json_object_get(w, "fandoms"), k, v) {
			const char *f = json_string_value(v);
			if (f && !strstr(s, f))
				s = arena_printf(a, "%s%s%s", s, *s ? ", " : "", f);
		}
	}
	return s;
}

int demo_wrangle(struct store *st, json_t *root)
{
	json_t *works = json_object_get(root, "works"), *wr = json_object_get(root, "wrangling");
	if (!json_is_array(works) || !json_is_object(wr))
		return 0;
	struct arena *a = arena_new();
	const char *name;
	json_t *v;
	/* Fandoms: canonical, with their medium. */
	json_object_foreach(json_object_get(wr, "media"), name, v)
		apply(st, a, TAG_FANDOM, name, &(struct tag_wrangle_input){.canonical = "1", .media = json_string_value(v)});
	/* Characters and relationships: canonical, under the fandoms of the works that use them; additional
	 * tags canonical. Synonyms and the tags left for the wrangling queue are skipped here. */
	json_t *skip = json_object_get(wr, "unwrangled"), *syn = json_object_get(wr, "synonyms");
	static const enum tag_type types[] = {TAG_CHARACTER, TAG_RELATIONSHIP, TAG_FREEFORM};
	size_t i, k;
	json_t *w, *t;
	json_array_foreach(works, i, w) {
		for (size_t ti = 0; ti < 3; ti++) {
			const char *key = tag_type_key(types[ti]);
			json_array_foreach(json_object_get(w, key), k, t) {
				const char *tag = json_string_value(t);
				bool leave = json_object_get(syn, tag) != NULL;
				size_t j;
				json_t *x;
				json_array_foreach(skip, j, x)
					leave |= !strcmp(json_string_value(x), tag);
				if (!tag || leave)
					continue;
				apply(st, a, types[ti], tag, &(struct tag_wrangle_input){
					.canonical = "1",
					.fandoms = types[ti] == TAG_FREEFORM ? "" : fandoms_of(a, works, key, tag)});
			}
		}
	}
	json_object_foreach(syn, name, v)
		apply(st, a, TAG_CHARACTER, name, &(struct tag_wrangle_input){.synonym_of = json_string_value(v)});
	json_object_foreach(json_object_get(wr, "metas"), name, v)
		apply(st, a, TAG_FANDOM, name, &(struct tag_wrangle_input){.canonical = "1", .metas = json_string_value(v)});
	arena_free(a);
	return 0;
}
