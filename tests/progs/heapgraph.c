/* heapgraph.c: heap structures with known shapes and leak classes.
   - `list_head` (a global, named with MEMSCOPE_TRACK_VAR) heads a linked
     list of 4 nodes (24 bytes each): still reachable, a list of depth 4;
   - `tree_root` (a global) holds a complete binary tree of 7 nodes
     (32 bytes each): still reachable, a tree of depth 3;
   - a list of 3 nodes (24 bytes each) whose head pointer is dropped:
     head definitely lost, the 2 others indirectly lost;
   - a 40-byte block reached only through `interior`, a global pointing
     16 bytes inside it: possibly lost;
   - two 48-byte blocks pointing to each other, dropped: a cycle, one
     definitely lost (the lower address leads) and one indirectly lost;
   - `names` (a global array of 2 pointers) to two 16-byte strings:
     still reachable.
   Totals (Memcheck's LEAK SUMMARY, tests/test_leaks.py): definitely lost
   24 + 48 bytes in 2 blocks, indirectly lost 48 + 48 bytes in 3 blocks,
   possibly lost 40 bytes in 1 block, still reachable 4*24 + 7*32 + 2*16
   = 352 bytes in 13 blocks.  With "snapshot" as argument the program
   also asks for a scan in the middle (MEMSCOPE_SNAPSHOT) while the leaked
   list is still held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memscope.h"

struct node {
   struct node* next;
   long value;
   long pad;
};

struct tree {
   struct tree* left;
   struct tree* right;
   long key;
   long pad;
};

struct pair {
   struct pair* other;
   char payload[40];
};

struct node* list_head;
struct tree* tree_root;
char* interior;
char* names[2];

__attribute__((noinline)) static struct node* make_list(int n)
{
   struct node* head = NULL;
   int i;
   for (i = 0; i < n; i++) {
      struct node* nd = malloc(sizeof *nd);
      nd->next = head;
      nd->value = i;
      nd->pad = 0;
      head = nd;
   }
   return head;
}

__attribute__((noinline)) static struct tree* make_tree(int depth, long key)
{
   struct tree* t;
   if (depth == 0)
      return NULL;
   t = malloc(sizeof *t);
   t->key = key;
   t->pad = 0;
   t->left = make_tree(depth - 1, 2 * key);
   t->right = make_tree(depth - 1, 2 * key + 1);
   return t;
}

/* The leaks are made in frames that are gone by the time of the scan:
   no stale copy of their pointers stays in a live frame. */
__attribute__((noinline)) static void make_leaks(int snapshot)
{
   struct node* lost = make_list(3);
   struct pair* a = malloc(sizeof *a);
   struct pair* b = malloc(sizeof *b);
   char* inside = malloc(40);
   memset(a->payload, 0, sizeof a->payload);
   memset(b->payload, 0, sizeof b->payload);
   memset(inside, 0, 40);
   a->other = b;
   b->other = a;
   interior = inside + 16;
   if (snapshot)
      MEMSCOPE_SNAPSHOT();
   lost->value = 99;
}

int main(int argc, char** argv)
{
   list_head = make_list(4);
   MEMSCOPE_TRACK_VAR_TYPED(list_head, "struct node *");
   tree_root = make_tree(3, 1);
   names[0] = strdup("first name here");
   names[1] = strdup("second name, 16");
   make_leaks(argc > 1 && strcmp(argv[1], "snapshot") == 0);
   printf("heapgraph: %ld %ld\n", list_head->value, tree_root->key);
   return 0;
}
