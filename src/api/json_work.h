/* Converting between the API's JSON and works/chapters: submissions in, work and chapter objects out. */
#ifndef QUIRE_API_JSON_WORK_H
#define QUIRE_API_JSON_WORK_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h"
#include "archive/work.h"

/* Overlays the fields present in obj onto in: absent fields keep what in already holds, so the same call
 * serves POST (in zeroed) and PATCH (in filled from the stored work). Strings are copied into a; JSON null
 * clears a text field. Of an array, at most ARCHIVE_LIST_MAX + 1 items are read (the rules refuse more than
 * a list's cap). Unknown fields are ignored; "chapter" is not read here (see api_read_chapter).
 * Returns 0, or Q_EINVAL with *bad set to a message naming the field of the wrong type. */
int api_read_work(struct arena *a, json_t *obj, struct work_input *in, const char **bad);
/* The same for a chapter; prefix names the object in messages ("chapter." for a work's first chapter). */
int api_read_chapter(struct arena *a, json_t *obj, const char *prefix, struct chapter_input *in, const char **bad);

/* The submission that would reproduce a stored work or chapter (strings point into w / c). Co-creators are
 * left empty: they are invited once, not resubmitted. rc (NULL: defaults) gives the comment settings a
 * body's comment_policy or comments_moderated alone starts from; they are saved only when one is given. */
void api_work_input_of(const struct work *w, const struct response_counts *rc, struct work_input *in);
/* Adds the work's comment settings ("comment_policy", "comments_moderated") to a work object. */
void api_work_json_settings(json_t *o, const struct response_counts *rc);
void api_chapter_input_of(const struct chapter *c, struct chapter_input *in);

/* The work object (a new reference). chapters may be NULL (lists leave the chapter list out); viewer may be
 * NULL; creators see pending co-creator invitations under "invited". */
json_t *api_work_json(struct arena *a, const struct work *w, const struct chapter *chapters, size_t nchapters,
                      const struct user *viewer);
/* The chapter object (a new reference); content and content_html only when c->content_html is loaded. */
json_t *api_chapter_json(struct arena *a, const struct chapter *c);
/* {"field": "message", ...} (a new reference). */
json_t *api_field_errors_json(const struct field_errors *e);
/* "2026-11-24T06:58:00Z", or JSON null for 0. A new reference. */
json_t *api_time_json(int64_t unix_seconds);
#endif
