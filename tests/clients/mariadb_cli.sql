-- Statements for tests/clients/mariadb_cli.sh: run with --table -f -vvv --show-warnings,
-- directly and through weft; the transcripts must be identical. Tables: mcli_* in weft_test.
select 1 as i, -2 as neg, 9007199254740993 as big, 3.25 as dec1, 1e3 as dbl, 'two' as s, null as n, x'00ff' as bin;
select date'2024-02-29' as d, timestamp'2024-02-29 12:34:56.789' as dt, time'-12:34:56' as t;
select 'héllo ☺' as utf8, _latin1 x'e9' as latin1, concat('a', 'b') as cat, hex('é') as hx;
select seq, repeat('r', seq) as r from seq_1_to_12;
select 1 as a; select 'x' as b, 2 as c;
select database(), current_user(), @@autocommit, @@in_transaction;
drop table if exists mcli_t;
create table mcli_t (id int auto_increment primary key, v varchar(20) not null, d decimal(8,2), j json) default charset=utf8mb4;
insert into mcli_t (v, d, j) values ('a', 1.5, '{"k": 1}'), ('b', null, '[1, 2]'), ('é', -0.01, null);
select last_insert_id(), row_count();
update mcli_t set d = d * 2 where d is not null;
update mcli_t set d = d where id > 0;
select * from mcli_t order by id;
begin;
insert into mcli_t (v) values ('rolled back');
select @@in_transaction, count(*) from mcli_t;
rollback;
select @@in_transaction, count(*) from mcli_t;
start transaction;
insert into mcli_t (v) values ('committed');
savepoint s1;
insert into mcli_t (v) values ('undone');
rollback to savepoint s1;
commit;
select id, v from mcli_t order by id;
prepare st from 'select id, v, d from mcli_t where id > ? order by id';
set @x = 1;
execute st using @x;
deallocate prepare st;
insert into mcli_t (id, v) values (1, 'dup');
insert into mcli_t (v) values (null);
insert into mcli_t (v) values ('this value is far too long for the column');
insert ignore into mcli_t (id, v) values (1, 'dup ignored');
selec 1;
select * from mcli_no_such_table;
select nope from mcli_t;
use mcli_no_such_db;
select 1/0, cast('12abc' as int);
show warnings;
signal sqlstate '45000' set mysql_errno = 1644, message_text = 'custom';
drop procedure if exists mcli_proc;
delimiter //
create procedure mcli_proc(in n int)
begin
  select n as n_in;
  select id, v from mcli_t where id <= n order by id;
  update mcli_t set v = concat(v, '!') where id <= n;
end//
delimiter ;
call mcli_proc(2);
select id, v from mcli_t order by id;
show columns from mcli_t;
show create table mcli_t;
explain select * from mcli_t where id = 1;
select 'after errors' as s;
drop procedure mcli_proc;
drop table mcli_t;
