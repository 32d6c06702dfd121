/* MariaDB bulk execution (COM_STMT_BULK_EXECUTE) with Connector/C's array binding
 * (STMT_ATTR_ARRAY_SIZE), for tests/transparency/bulk.sh. Prints a transcript of one section:
 * each bulk's affected rows, insert id, warnings or error (code, SQLSTATE, message), then the
 * table's contents (CHECKSUM TABLE and aggregates).
 *   bulk PORT SECTION     SECTION: insert | update_delete | duplicate
 * User app/app-secret, database weft_test, 127.0.0.1; table tbulk (created and dropped here). */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 10000

static MYSQL *db;

static void die(const char *what) {
  printf("FATAL %s: %u %s %s\n", what, mysql_errno(db), mysql_sqlstate(db), mysql_error(db));
  exit(1);
}

/* Runs SQL and prints each row of each result set, or the OK/ERR. */
static void query(const char *sql) {
  printf("> %s\n", sql);
  if (mysql_query(db, sql)) {
    printf("  ERR %u %s %s\n", mysql_errno(db), mysql_sqlstate(db), mysql_error(db));
    return;
  }
  do {
    MYSQL_RES *res = mysql_store_result(db);
    if (!res) {
      printf("  OK affected=%llu insert_id=%llu warnings=%u\n", (unsigned long long)mysql_affected_rows(db),
             (unsigned long long)mysql_insert_id(db), mysql_warning_count(db));
      continue;
    }
    unsigned n = mysql_num_fields(res);
    for (MYSQL_ROW row; (row = mysql_fetch_row(res));) {
      printf("  row");
      for (unsigned i = 0; i < n; i++) printf(" | %s", row[i] ? row[i] : "NULL");
      printf("\n");
    }
    mysql_free_result(res);
  } while (mysql_next_result(db) == 0);
}

/* Prepares SQL and runs it once over `rows` rows of the bindings; prints the outcome. */
static void bulk(const char *sql, MYSQL_BIND *bind, unsigned rows) {
  MYSQL_STMT *stmt = mysql_stmt_init(db);
  printf("> bulk x%u: %s\n", rows, sql);
  if (mysql_stmt_prepare(stmt, sql, strlen(sql)) ||
      mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &rows) ||
      mysql_stmt_bind_param(stmt, bind) || mysql_stmt_execute(stmt)) {
    printf("  ERR %u %s %s\n", mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt));
  } else {
    printf("  OK affected=%llu insert_id=%llu warnings=%u\n",
           (unsigned long long)mysql_stmt_affected_rows(stmt), (unsigned long long)mysql_stmt_insert_id(stmt),
           mysql_stmt_warning_count(stmt));
  }
  mysql_stmt_close(stmt);
}

static void bind_int(MYSQL_BIND *b, int *values, char *indicators) {
  memset(b, 0, sizeof *b);
  b->buffer_type = MYSQL_TYPE_LONG;
  b->buffer = values;
  b->u.indicator = indicators;
}

static void contents(void) {
  query("CHECKSUM TABLE tbulk");
  query("SELECT COUNT(*), SUM(a), COUNT(a), SUM(b = 'dflt'), SUM(LENGTH(b)), SUM(c), MIN(id), MAX(id) FROM tbulk");
  query("SELECT * FROM tbulk ORDER BY id LIMIT 8");
  query("SHOW WARNINGS");
}

/* 10,000 rows: a NULL every 7th row, b DEFAULT every 5th, c DEFAULT every 3rd. */
static void insert_rows(void) {
  static int a[ROWS], c[ROWS];
  static char a_ind[ROWS], b_ind[ROWS], c_ind[ROWS], b_text[ROWS][16];
  static char *b[ROWS];
  static unsigned long b_len[ROWS];
  for (int i = 0; i < ROWS; i++) {
    a[i] = i;
    a_ind[i] = i % 7 == 0 ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE;
    b_len[i] = (unsigned long)snprintf(b_text[i], sizeof b_text[i], "row %d", i);
    b[i] = b_text[i];
    b_ind[i] = i % 5 == 0 ? STMT_INDICATOR_DEFAULT : STMT_INDICATOR_NONE;
    c[i] = i * 2;
    c_ind[i] = i % 3 == 0 ? STMT_INDICATOR_DEFAULT : STMT_INDICATOR_NONE;
  }
  MYSQL_BIND bind[3];
  bind_int(&bind[0], a, a_ind);
  memset(&bind[1], 0, sizeof bind[1]);
  bind[1].buffer_type = MYSQL_TYPE_STRING;
  bind[1].buffer = b;
  bind[1].length = b_len;
  bind[1].u.indicator = b_ind;
  bind_int(&bind[2], c, c_ind);
  bulk("INSERT INTO tbulk (a, b, c) VALUES (?, ?, ?)", bind, ROWS);
}

static void update_delete(void) {
  static int add[100], id[100];
  for (int i = 0; i < 100; i++) add[i] = 1000, id[i] = i * 3 + 1;
  MYSQL_BIND bind[2];
  bind_int(&bind[0], add, NULL);
  bind_int(&bind[1], id, NULL);
  bulk("UPDATE tbulk SET c = c + ? WHERE id = ?", bind, 100);
  bulk("DELETE FROM tbulk WHERE id = ?", &bind[1], 50);
  query("SELECT ROW_COUNT(), LAST_INSERT_ID()");
}

/* A duplicate key in the middle of a bulk: what the server keeps, what it reports. */
static void duplicate(void) {
  int id[4] = {20001, 20002, 5, 20003}, a[4] = {1, 2, 3, 4};
  MYSQL_BIND bind[2];
  bind_int(&bind[0], id, NULL);
  bind_int(&bind[1], a, NULL);
  bulk("INSERT INTO tbulk (id, a) VALUES (?, ?)", bind, 4);
  query("SHOW WARNINGS");
  query("SELECT id, a FROM tbulk WHERE id > 20000 ORDER BY id");
  bulk("INSERT IGNORE INTO tbulk (id, a) VALUES (?, ?)", bind, 4);
  query("SHOW WARNINGS");
}

int main(int argc, char **argv) {
  if (argc != 3) return fprintf(stderr, "usage: bulk PORT SECTION\n"), 2;
  db = mysql_init(NULL);
  if (!mysql_real_connect(db, "127.0.0.1", "app", "app-secret", "weft_test", (unsigned)atoi(argv[1]), NULL,
                          CLIENT_MULTI_RESULTS))
    die("connect");
  query("DROP TABLE IF EXISTS tbulk");
  query("CREATE TABLE tbulk (id INT AUTO_INCREMENT PRIMARY KEY, a INT NULL, b VARCHAR(20) DEFAULT 'dflt', "
        "c INT NOT NULL DEFAULT 7)");
  insert_rows();
  query("SELECT LAST_INSERT_ID(), ROW_COUNT()");
  if (strcmp(argv[2], "update_delete") == 0) update_delete();
  if (strcmp(argv[2], "duplicate") == 0) duplicate();
  contents();
  query("DROP TABLE tbulk");
  mysql_close(db);
  return 0;
}
