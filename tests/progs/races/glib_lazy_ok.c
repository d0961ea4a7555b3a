/* glib_lazy_ok.c: GLib's lazy initialisation from a pool of threads.
   Four GThreadPool workers each run eight jobs that create a GObject of
   a type registered on first use (G_DEFINE_TYPE: g_once_init_enter on
   the program's static), fill a table once (g_once_init_enter and
   g_once_init_leave), and use a GHashTable.  GLib publishes what it
   initialises lazily with a compare-and-swap on its own globals (a
   GPrivate's key) and reads them back with plain loads.
   race-suite: race-free
*/
#include <glib-object.h>
#include <glib.h>
#include <stdio.h>

typedef struct { GObject parent; int value; } Thing;
typedef struct { GObjectClass parent_class; } ThingClass;
G_DEFINE_TYPE(Thing, thing, G_TYPE_OBJECT)
static void thing_class_init(ThingClass *klass) { (void)klass; }
static void thing_init(Thing *self) { self->value = 1; }

static gsize table_ready;
static int table[16];

static void job(gpointer data, gpointer user)
{
   Thing *thing;
   GHashTable *h;
   int i;
   (void)user;
   if (g_once_init_enter(&table_ready)) {
      for (i = 0; i < 16; i++)
         table[i] = i;
      g_once_init_leave(&table_ready, 1);
   }
   thing = g_object_new(thing_get_type(), NULL);
   h = g_hash_table_new(g_str_hash, g_str_equal);
   g_hash_table_insert(h, "k",
                       GINT_TO_POINTER(table[GPOINTER_TO_INT(data) % 16]));
   g_hash_table_destroy(h);
   g_object_unref(thing);
}

int main(void)
{
   GThreadPool *pool = g_thread_pool_new(job, NULL, 4, TRUE, NULL);
   int i;
   for (i = 0; i < 32; i++)
      g_thread_pool_push(pool, GINT_TO_POINTER(i + 1), NULL);
   g_thread_pool_free(pool, FALSE, TRUE);
   printf("glib_lazy_ok: %d\n", table[15]);
   return 0;
}
