/* Command-line commands: serve, user add, token add, backup. main.c parses arguments and calls these. */
#ifndef QUIRE_WEB_CLI_H
#define QUIRE_WEB_CLI_H
#include "core/config.h"

/* Serves until SIGINT or SIGTERM; returns the process exit code. */
int cli_serve(const struct config *cfg);
/* Reads the password from standard input (first line). */
int cli_user_add(const struct config *cfg, const char *name, const char *email, const char *role);
/* Prints a new API token for the user on standard output. */
int cli_token_add(const struct config *cfg, const char *user, const char *token_name);
/* Consistent copy of the live database into path. */
int cli_backup(const struct config *cfg, const char *path);
/* ---- mail ---- */
/* Sets NAME's password from the first line of standard input and ends all of their sessions (cli.c). */
int cli_user_password(const struct config *cfg, const char *name);
/* quire user role NAME ROLE: makes an account a user, wrangler or admin. */
int cli_user_role(const struct config *cfg, const char *name, const char *role);
/* quire store copy --from URL --to URL [--force]: 0, or 1 with a sentence on standard error. */
int cli_store_copy(const char *from, const char *to, bool force);
/* ---- Running a community (cli_admin.c) ---- */
#include <stdbool.h>
struct store;
/* Opens the store the configuration names (cli.c), logging why not. */
int cli_open_store(const struct config *cfg, struct store **st);
/* quire user suspend NAME --days N (days 0: quire user ban NAME), logged with reason; hide_works hides their works. */
int cli_user_sanction(const struct config *cfg, const char *name, int days, const char *reason, bool hide_works);
/* quire user unban NAME: lifts a suspension or ban. */
int cli_user_unban(const struct config *cfg, const char *name, const char *reason);
/* quire user role through the moderation workflow: logged, the account told. */
int cli_role_logged(const struct config *cfg, const char *name, const char *role, const char *reason);
/* quire report list [--status S]: reports, newest first, one per line. */
int cli_report_list(const struct config *cfg, const char *status);
#endif
