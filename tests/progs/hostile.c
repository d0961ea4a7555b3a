/* hostile.c: names chosen to attack the report: markup, script endings,
   a javascript: URL, a unicode direction override, CDATA and comment
   endings.  A second thread has a markup name.  The named block stays
   live so that it appears in every table.  tests/test_report.py checks
   that each shows as text and that nothing runs. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include "memscope.h"

#define IMG "<img src=x onerror=\"document.body.dataset.pwned=1\">"
#define SCRIPT "</script><script>document.body.dataset.pwned=2</script>"

char hostile_global[16];

static void* named_thread(void* arg)
{
   (void)arg;
   pthread_setname_np(pthread_self(), "<b onclick=x>");
   return malloc(24);
}

int main(void)
{
   pthread_t t;
   void* from_thread = NULL;
   char* block = malloc(48);
   MEMSCOPE_NAME_BLOCK(block, 48, IMG, SCRIPT);
   MEMSCOPE_NAME_BLOCK(hostile_global, sizeof hostile_global,
                       "javascript:alert(1) \xe2\x80\xae]]>-->", "\"'&<>");
   pthread_create(&t, NULL, named_thread, NULL);
   pthread_join(t, &from_thread);
   (void)from_thread;
   return 0;   /* both blocks stay live */
}
