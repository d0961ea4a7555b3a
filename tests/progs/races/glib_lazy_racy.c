/* glib_lazy_racy.c: the twin of glib_lazy_ok, with a race of the
   program's own: every job of the pool's four workers adds to `jobs_done`
   without a lock, beside GLib's lazy initialisation (which must stay
   silent).  The first four jobs wait for each other (a pthread mutex and
   condition variable), so that four threads run jobs whatever the
   schedule; each adds after leaving the wait, unordered with the
   others.
   race-suite: racy
   race-variable: jobs_done
*/
#include <glib.h>
#include <pthread.h>
#include <stdio.h>

static gsize table_ready;
static int table[16];
static long jobs_done;
static pthread_mutex_t started_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started_more = PTHREAD_COND_INITIALIZER;
static int started;

static void job(gpointer data, gpointer user)
{
   GHashTable *h;
   int i;
   (void)user;
   if (g_once_init_enter(&table_ready)) {
      for (i = 0; i < 16; i++)
         table[i] = i;
      g_once_init_leave(&table_ready, 1);
   }
   h = g_hash_table_new(g_str_hash, g_str_equal);
   g_hash_table_insert(h, "k",
                       GINT_TO_POINTER(table[GPOINTER_TO_INT(data) % 16]));
   g_hash_table_destroy(h);
   pthread_mutex_lock(&started_lock);
   started++;
   pthread_cond_broadcast(&started_more);
   while (started < 4)
      pthread_cond_wait(&started_more, &started_lock);
   pthread_mutex_unlock(&started_lock);
   jobs_done++;                                     /* RACE */
}

int main(void)
{
   GThreadPool *pool = g_thread_pool_new(job, NULL, 4, TRUE, NULL);
   int i;
   for (i = 0; i < 32; i++)
      g_thread_pool_push(pool, GINT_TO_POINTER(i + 1), NULL);
   g_thread_pool_free(pool, FALSE, TRUE);
   printf("glib_lazy_racy: %ld\n", jobs_done);
   return 0;
}
