#!/usr/bin/env bash
# DIFF SCHEMA through the mariadb CLI on the admin port: one database made differently on the
# sandbox's primary and replicas (every kind of difference), the printed statements applied on
# the CHANGES FOR side, then a second DIFF SCHEMA must find nothing; CHANGES FOR 'a'; errors.
# The databases are made and dropped with sql_log_bin=0: nothing replicates, and replication
# must still run at the end.
source "$(dirname "$0")/lib.sh"
require_sandbox

DB=weft_diff_schema
on_servers() { for port in "$PRIMARY_PORT" "$REPLICA1_PORT" "$REPLICA2_PORT"; do "$@" "$port"; done; }
drop_db() { as_root "$1" -e "SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS $DB" || true; }
trap 'rc=$?; on_servers drop_db; cleanup_and_check; exit $rc' EXIT
on_servers drop_db

export WEFT_REPLICAS=1
start_weft "" "" "$(admin_toml)"
wait_admin

# --- Two versions of one database -------------------------------------------------------------
# Model (the primary): what the application expects.
model_sql="SET SESSION sql_log_bin = 0;
CREATE DATABASE $DB COLLATE utf8mb4_general_ci;
USE $DB;
CREATE TABLE customers (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL,
  name VARCHAR(50) CHARACTER SET latin1 DEFAULT 'n/a' COMMENT 'display name',
  created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, UNIQUE KEY u_email (email), KEY k_name (name(10)))
  COMMENT = 'who buys' AUTO_INCREMENT = 500;
CREATE TABLE products (id INT NOT NULL PRIMARY KEY, sku VARCHAR(20) NOT NULL,
  price DECIMAL(10,2) NOT NULL DEFAULT 0.00, stock INT NOT NULL DEFAULT 0, CONSTRAINT c_price CHECK (price >= 0));
CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, product_id INT NOT NULL,
  qty INT NOT NULL DEFAULT 1, total INT AS (qty * 2) STORED, note TEXT, KEY k_customer (customer_id),
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT fk_product FOREIGN KEY (product_id) REFERENCES products (id));
CREATE TABLE reviews (id INT PRIMARY KEY, customer_id INT, stars TINYINT, KEY k_customer (customer_id),
  CONSTRAINT fk_review_customer FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE TABLE only_on_a (id INT PRIMARY KEY, customer_id INT, CONSTRAINT fk_a_customer FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE TABLE cyc_a (id INT PRIMARY KEY, b_id INT);
CREATE TABLE cyc_b (id INT PRIMARY KEY, a_id INT, CONSTRAINT fk_cyc_b FOREIGN KEY (a_id) REFERENCES cyc_a (id));
ALTER TABLE cyc_a ADD CONSTRAINT fk_cyc_a FOREIGN KEY (b_id) REFERENCES cyc_b (id);
CREATE SEQUENCE seq_invoice START WITH 100;
CREATE VIEW v_orders AS SELECT o.id, c.email, o.qty FROM orders o JOIN customers c ON c.id = o.customer_id;
CREATE VIEW v_big_orders AS SELECT * FROM v_orders WHERE qty > 10;
CREATE FUNCTION f_tax(x DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN x * 0.2;
DELIMITER ;;
CREATE PROCEDURE p_restock(IN n INT)
BEGIN
  UPDATE products SET stock = stock + n;
END;;
DELIMITER ;
CREATE TRIGGER t_orders_bi BEFORE INSERT ON orders FOR EACH ROW SET NEW.qty = GREATEST(NEW.qty, 1);
CREATE TRIGGER t_orders_bi2 BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '');
CREATE EVENT e_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DO DELETE FROM orders WHERE qty = 0;"

# Drifted (the replicas): a column missing, one extra, one changed, one moved, indexes, checks,
# options and foreign keys different; tables, views, routines, triggers, events extra or missing.
drifted_sql="SET SESSION sql_log_bin = 0;
CREATE DATABASE $DB COLLATE utf8mb4_unicode_ci;
USE $DB;
CREATE TABLE customers (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  email VARCHAR(80) NOT NULL, legacy INT, UNIQUE KEY u_email (email)) COMMENT = 'customers';
CREATE TABLE products (id INT NOT NULL PRIMARY KEY, sku VARCHAR(20) NOT NULL,
  price DECIMAL(10,2) NOT NULL DEFAULT 0.00, stock SMALLINT NOT NULL DEFAULT 0, KEY k_sku (sku));
CREATE TABLE legacy_audit (id INT PRIMARY KEY, what VARCHAR(20));
CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, product_id INT NULL,
  qty INT NOT NULL DEFAULT 2, total INT AS (qty * 2) STORED, note TEXT, audit_id INT, KEY k_customer (customer_id),
  KEY k_qty (qty),
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
  CONSTRAINT fk_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_audit FOREIGN KEY (audit_id) REFERENCES legacy_audit (id));
CREATE TABLE reviews (id INT PRIMARY KEY, customer_id INT, stars TINYINT, KEY k_customer (customer_id)) ENGINE = Aria;
CREATE TABLE cyc_c (id INT PRIMARY KEY, d_id INT);
CREATE TABLE cyc_d (id INT PRIMARY KEY, c_id INT, CONSTRAINT fk_cyc_d FOREIGN KEY (c_id) REFERENCES cyc_c (id));
ALTER TABLE cyc_c ADD CONSTRAINT fk_cyc_c FOREIGN KEY (d_id) REFERENCES cyc_d (id);
CREATE VIEW v_orders AS SELECT o.id, o.qty FROM orders o;
CREATE VIEW v_old AS SELECT id FROM legacy_audit;
CREATE FUNCTION f_tax(x DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN x * 0.1;
CREATE PROCEDURE p_old() SELECT 1;
CREATE TRIGGER t_orders_bi BEFORE INSERT ON orders FOR EACH ROW SET NEW.qty = GREATEST(NEW.qty, 0);
CREATE TRIGGER t_orders_bi2 BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '');
CREATE TRIGGER t_audit BEFORE INSERT ON legacy_audit FOR EACH ROW SET NEW.what = UPPER(NEW.what);
CREATE EVENT e_old ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00' DO DELETE FROM legacy_audit;"

as_root "$PRIMARY_PORT" <<< "$model_sql" || fail "could not make the model database on the primary"
for port in "$REPLICA1_PORT" "$REPLICA2_PORT"; do
  as_root "$port" <<< "$drifted_sql" || fail "could not make the drifted database on $port"
done

PRIMARY="PRIMARY OF GROUP main"
R1="REPLICA '127.0.0.1:$REPLICA1_PORT'"
R2="'127.0.0.1:$REPLICA2_PORT'"

# Applies DIFF SCHEMA's statements ($1: its -N -B output) on a server ($2), in order. The CLI
# escapes newlines, tabs and backslashes in -B output; printf %b reads them back.
apply_on() {
  local script="$WORK/apply.sql"
  { echo "SET SESSION sql_log_bin = 0;"; echo "DELIMITER ;;"
    while IFS=$'\t' read -r _step _type _object _action statement; do printf '%b\n;;\n' "$statement"; done <<< "$1"
  } > "$script"
  as_root "$2" --comments < "$script" || fail "applying the statements on $2 failed: $(cat "$script")"
}
# The step number of the first row whose statement contains $2 in DIFF SCHEMA output $1.
step_of() { awk -F'\t' -v s="$2" 'index($5, s) { print $1; exit }' <<< "$1"; }
before() { # $1 output, $2 must come before $3
  local a b
  a="$(step_of "$1" "$2")"; b="$(step_of "$1" "$3")"
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "'$2' (step ${a:-none}) must come before '$3' (step ${b:-none}): $1"
}

# --- DIFF SCHEMA: make the replica like the primary ----------------------------------------------
out="$(admin -e "DIFF SCHEMA $DB ON $PRIMARY WITH $R1")"
echo "$out" | head -60
q="\`$DB\`"
for expected in \
  "ALTER DATABASE $q COLLATE utf8mb4_general_ci" \
  "ADD COLUMN \`name\` varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL DEFAULT 'n/a' COMMENT 'display name' AFTER \`email\`" \
  "MODIFY COLUMN \`email\` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL," \
  "MODIFY COLUMN \`created\` timestamp NOT NULL DEFAULT current_timestamp() AFTER \`name\`" \
  "DROP COLUMN \`legacy\`" \
  "ADD INDEX \`k_name\` (\`name\`(10))" \
  "COMMENT='who buys'" \
  "MODIFY COLUMN \`stock\` int(11) NOT NULL DEFAULT 0" \
  "ADD CONSTRAINT \`c_price\` CHECK (\`price\` >= 0)" \
  "DROP INDEX \`k_sku\`" \
  "ENGINE=InnoDB" \
  "DROP FOREIGN KEY \`fk_audit\`" \
  "DROP TABLE $q.\`legacy_audit\`" \
  "DROP VIEW $q.\`v_old\`" \
  "DROP PROCEDURE $q.\`p_old\`" \
  "DROP EVENT $q.\`e_old\`" \
  "DROP TRIGGER $q.\`t_audit\`" \
  "ADD CONSTRAINT \`fk_customer\` FOREIGN KEY (\`customer_id\`) REFERENCES $q.\`customers\` (\`id\`) ON DELETE CASCADE" \
  "ADD CONSTRAINT \`fk_review_customer\` FOREIGN KEY" \
  "CREATE TABLE $q.\`only_on_a\`" \
  "CREATE SEQUENCE $q.\`seq_invoice\`" \
  "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW $q.\`v_orders\`" \
  "VIEW $q.\`v_big_orders\`" \
  "CREATE FUNCTION $q.\`f_tax\`" \
  "CREATE PROCEDURE $q.\`p_restock\`" \
  "CREATE TRIGGER $q.\`t_orders_bi\` BEFORE INSERT ON $q.\`orders\` FOR EACH ROW SET NEW.qty = GREATEST(NEW.qty, 1)" \
  "CREATE EVENT $q.\`e_cleanup\`"; do
  [ -n "$(step_of "$out" "$expected")" ] || fail "DIFF SCHEMA lacks '$expected': $out"
done
grep -q "DEFINER=" <<< "$out" && fail "a DEFINER clause in the statements: $out"
grep -q "AUTO_INCREMENT=" <<< "$out" && fail "an AUTO_INCREMENT counter in the statements: $out"
grep -qP "^\d+\tTABLE\torders\tALTER\t.*DROP COLUMN \`audit_id\`" <<< "$out" || fail "orders' ALTER: $out"
grep -qP "^\d+\tFOREIGN KEY\torders.fk_product\tALTER\t" <<< "$out" ||
  fail "fk_product (over a changed column) is not made again: $out"
# Dependency order.
before "$out" "DROP TRIGGER $q.\`t_audit\`" "DROP TABLE $q.\`legacy_audit\`"
before "$out" "DROP VIEW $q.\`v_old\`" "DROP TABLE $q.\`legacy_audit\`"
before "$out" "DROP FOREIGN KEY \`fk_audit\`" "DROP TABLE $q.\`legacy_audit\`"
before "$out" "DROP FOREIGN KEY \`fk_product\`" "MODIFY COLUMN \`product_id\`"
before "$out" "ENGINE=InnoDB" "ADD CONSTRAINT \`fk_review_customer\`"
before "$out" "MODIFY COLUMN \`product_id\`" "ADD CONSTRAINT \`fk_product\`"
before "$out" "DROP FOREIGN KEY \`fk_cyc_c\`" "DROP TABLE $q.\`cyc_d\`"
before "$out" "CREATE TABLE $q.\`cyc_" "ADD CONSTRAINT \`fk_cyc_"
before "$out" "CREATE TABLE $q.\`only_on_a\`" "CREATE OR REPLACE"
before "$out" "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW $q.\`v_orders\`" "VIEW $q.\`v_big_orders\`"
before "$out" "CREATE FUNCTION" "VIEW $q.\`v_big_orders\`"
before "$out" "DROP TRIGGER $q.\`t_orders_bi2\`" "CREATE TRIGGER $q.\`t_orders_bi\`"
before "$out" "CREATE TRIGGER $q.\`t_orders_bi\`" "CREATE TRIGGER $q.\`t_orders_bi2\`"

apply_on "$out" "$REPLICA1_PORT"
again="$(admin -e "DIFF SCHEMA $DB ON $PRIMARY WITH $R1")"
grep -qP "^0\tDATABASE\t$DB\tNONE\t-- no differences between 127.0.0.1:$PRIMARY_PORT and 127.0.0.1:$REPLICA1_PORT$" <<< "$again" ||
  fail "after applying the statements DIFF SCHEMA still differs: $again"
[ "$(wc -l <<< "$again")" = 1 ] || fail "an equal schema answers one row: $again"
# The triggers fire in the model's order again.
order="$(as_root "$REPLICA1_PORT" -e "SELECT GROUP_CONCAT(TRIGGER_NAME ORDER BY ACTION_ORDER) FROM information_schema.TRIGGERS
  WHERE TRIGGER_SCHEMA = '$DB' AND EVENT_OBJECT_TABLE = 'orders'")"
[ "$order" = "t_orders_bi,t_orders_bi2" ] || fail "trigger order after applying: $order"

# --- CHANGES FOR 'a': make the ON server (the other drifted replica) like the primary ------------
out="$(admin -e "DIFF SCHEMA $DB ON $R2 WITH $PRIMARY CHANGES FOR 'a'")"
[ -n "$(step_of "$out" "DROP TABLE $q.\`legacy_audit\`")" ] && [ -n "$(step_of "$out" "CREATE TABLE $q.\`only_on_a\`")" ] ||
  fail "CHANGES FOR 'a' does not repair the ON server: $out"
reverse="$(admin -e "DIFF SCHEMA $DB ON $R2 WITH $PRIMARY")"
[ -n "$(step_of "$reverse" "CREATE TABLE $q.\`legacy_audit\`")" ] && [ -n "$(step_of "$reverse" "DROP TABLE $q.\`only_on_a\`")" ] ||
  fail "CHANGES FOR 'b' (the default) does not repair the WITH server: $reverse"
apply_on "$out" "$REPLICA2_PORT"
admin -e "DIFF SCHEMA $DB ON $R2 WITH $PRIMARY CHANGES FOR 'a'" | grep -qP "^0\tDATABASE\t$DB\tNONE\t" ||
  fail "after CHANGES FOR 'a' the schemas still differ: $(admin -e "DIFF SCHEMA $DB ON $R2 WITH $PRIMARY")"
admin -e "DIFF SCHEMA $DB ON $R1 WITH $R2" | grep -qP "^0\tDATABASE\t$DB\tNONE\t" || fail "the two repaired replicas differ"

# --- Errors ------------------------------------------------------------------------------------
err="$(admin_error -e "DIFF SCHEMA no_such_db_xyz ON $PRIMARY WITH $R1")"
grep -q "ERROR 1049 (42000).*Unknown database 'no_such_db_xyz' on '127.0.0.1:$PRIMARY_PORT' (the ON server)" <<< "$err" ||
  fail "unknown database: $err"
as_root "$REPLICA2_PORT" -e "SET SESSION sql_log_bin = 0; DROP DATABASE $DB"
err="$(admin_error -e "DIFF SCHEMA $DB ON $PRIMARY WITH $R2")"
grep -q "ERROR 1049 (42000).*Unknown database '$DB' on '127.0.0.1:$REPLICA2_PORT' (the WITH server)" <<< "$err" ||
  fail "a database missing on one side: $err"
err="$(admin_error -e "DIFF SCHEMA $DB ON PRIMARY OF GROUP nope WITH $R1")"
grep -q "ERROR 9015 .*no group 'nope' (the ON server)" <<< "$err" || fail "unknown group: $err"
err="$(admin_error -e "DIFF SCHEMA $DB ON $PRIMARY WITH '127.0.0.1:1'")"
grep -q "ERROR 9001 .*cannot connect to '127.0.0.1:1' (the WITH server)" <<< "$err" || fail "unreachable server: $err"
err="$(admin_error -e "DIFF SCHEMA $DB ON $PRIMARY")"
grep -q "ERROR 1064" <<< "$err" || fail "a DIFF SCHEMA without WITH: $err"

# --- Nothing written by weft, replication untouched ------------------------------------------------
for port in "$REPLICA1_PORT" "$REPLICA2_PORT"; do
  slave_status "$port" | grep -q "Slave_SQL_Running: Yes" && slave_status "$port" | grep -q "Slave_IO_Running: Yes" ||
    fail "replication on $port stopped: $(slave_status "$port")"
done
pass
