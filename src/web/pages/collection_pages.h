/* Page handlers for collections, gifts, gift exchanges, prompt memes and related works (listed in
 * src/web/routes.c), and what other pages borrow from them: a work's collections, gifts, prompts and related works
 * for its reading page and form. */
#ifndef QUIRE_WEB_PAGES_COLLECTION_PAGES_H
#define QUIRE_WEB_PAGES_COLLECTION_PAGES_H
#include "web/web.h"

/* collections.c: the collections, their profiles, works, participants, settings, members and items */
void page_collections_index(struct web_req *w);
void page_collection_new(struct web_req *w);
void page_collection_create(struct web_req *w);
void page_collection_show(struct web_req *w);
void page_collection_profile(struct web_req *w);
void page_collection_rules(struct web_req *w);
void page_collection_faq(struct web_req *w);
void page_collection_works(struct web_req *w);
void page_collection_participants(struct web_req *w);
void page_collection_children(struct web_req *w);
void page_collection_edit(struct web_req *w);
void page_collection_update(struct web_req *w);
void page_collection_delete(struct web_req *w);
void page_collection_member(struct web_req *w);
void page_collection_join(struct web_req *w);
void page_collection_leave(struct web_req *w);
void page_collection_items(struct web_req *w);
void page_collection_item_add(struct web_req *w);
void page_collection_item_decide(struct web_req *w);
void page_collection_reveal(struct web_req *w);
void page_work_collections(struct web_req *w);
void page_work_collection_add(struct web_req *w);

/* exchanges.c: gift exchanges */
void page_exchange_settings(struct web_req *w);
void page_exchange_settings_save(struct web_req *w);
void page_exchange_signup_form(struct web_req *w);
void page_exchange_signup(struct web_req *w);
void page_exchange_signup_delete(struct web_req *w);
void page_exchange_signups(struct web_req *w);
void page_exchange_signup_show(struct web_req *w);
void page_exchange_matching(struct web_req *w);
void page_exchange_match(struct web_req *w);
void page_exchange_send(struct web_req *w);
void page_exchange_assignments(struct web_req *w);
void page_exchange_assignment(struct web_req *w);
void page_exchange_assignment_edit(struct web_req *w);
void page_exchange_assignment_default(struct web_req *w);
void page_exchange_assignment_claim(struct web_req *w);
void page_user_assignments(struct web_req *w);

/* prompts.c: prompt memes */
void page_prompts_index(struct web_req *w);
void page_prompt_new(struct web_req *w);
void page_prompt_create(struct web_req *w);
void page_prompt_show(struct web_req *w);
void page_prompt_delete(struct web_req *w);
void page_prompt_claim(struct web_req *w);
void page_prompt_unclaim(struct web_req *w);
void page_user_claims(struct web_req *w);

/* related.c: related works */
void page_work_related(struct web_req *w);
void page_work_related_decide(struct web_req *w);

/* gifts.c: a user's gifts, refusing one */
void page_user_gifts(struct web_req *w);
void page_gift_refuse(struct web_req *w);

struct collection;
/* The frame of a collection's pages (templates/collections/_nav): data.collection with the viewer's role, the
 * current tab, the CSRF token for members; the page's cache dependencies. A new object. */
json_t *collection_frame_json(struct web_req *w, const struct collection *c, int role, const char *tab);

struct work;
/* data.collections [{name, title, url}] (approved on both sides) and data.gifts [{name, url}] (not refused)
 * for a work's reading page, into the work's JSON object o. */
void collection_view_work(struct web_req *w, json_t *o, const struct work *wk);
/* The work form's "collections" and "gifts" text for an existing work (the creator's placements, the gifts
 * not refused), comma-separated. */
void collection_view_form(struct web_req *w, const struct work *wk, const char **collections, const char **gifts);
struct relation_input;
struct field_errors;
/* related.c: the work form's related rows: as posted (related_N_url, _kind, _title, _author), as stored, and as
 * the form's data (the rows and one blank, with their errors). */
void related_form_read(struct web_req *w, struct relation_input **out, size_t *n);
void related_form_from_work(struct web_req *w, const struct work *wk, struct relation_input **out, size_t *n);
json_t *related_form_json(struct web_req *w, const struct relation_input *in, size_t n, const struct field_errors *e);
/* data.related [{label, title, url, creator, elsewhere}] (what the work comes from) and data.related_back
 * [{label, works}] (approved works that come from it) for a work's reading page, into o; the same to every
 * reader (the fragment is shared): restricted works untitled, anonymous ones by Anonymous. */
void related_view_work(struct web_req *w, json_t *o, const struct work *wk);
#endif
