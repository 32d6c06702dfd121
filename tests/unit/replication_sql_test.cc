#include <gtest/gtest.h>

#include "routing/replication_sql.h"

namespace weft::routing {
namespace {

using namespace std::chrono_literals;

TEST(ReplicationSql, FlavorFromVersion) {
  EXPECT_EQ(flavor_from_version("10.11.19-MariaDB-0+deb12u1-log"), server_flavor::mariadb);
  EXPECT_EQ(flavor_from_version("5.5.5-10.11.19-MariaDB"), server_flavor::mariadb);
  EXPECT_EQ(flavor_from_version("8.0.36"), server_flavor::mysql);
  EXPECT_EQ(flavor_from_version("8.4.0-commercial"), server_flavor::mysql);
}

TEST(ReplicationSql, StatementsPerFlavor) {
  EXPECT_EQ(health_variables_query(server_flavor::mariadb), "SELECT @@read_only AS ro, @@gtid_current_pos AS gtid, @@server_id AS sid");
  EXPECT_EQ(health_variables_query(server_flavor::mysql), "SELECT @@read_only AS ro, @@global.gtid_executed AS gtid, @@server_id AS sid");
  EXPECT_EQ(replica_status_query(server_flavor::mariadb), "SHOW SLAVE STATUS");
  EXPECT_EQ(replica_status_query(server_flavor::mysql), "SHOW REPLICA STATUS");
  EXPECT_EQ(written_gtid_query(server_flavor::mariadb), "SELECT @@last_gtid");
  EXPECT_EQ(written_gtid_query(server_flavor::mysql), "SELECT @@global.gtid_executed");
}

TEST(ReplicationSql, GtidWaits) {
  EXPECT_EQ(gtid_wait_query(server_flavor::mariadb, "0-1-42", 1500ms), "SELECT MASTER_GTID_WAIT('0-1-42', 1.500)");
  EXPECT_EQ(gtid_wait_query(server_flavor::mariadb, "0-1-42", 50ms), "SELECT MASTER_GTID_WAIT('0-1-42', 0.050)");
  EXPECT_EQ(gtid_wait_query(server_flavor::mysql, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", 2000ms),
            "SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77', 2.000)");
  EXPECT_TRUE(gtid_wait_succeeded(std::string("0")));
  EXPECT_FALSE(gtid_wait_succeeded(std::string("-1")));  // MariaDB timeout
  EXPECT_FALSE(gtid_wait_succeeded(std::string("1")));   // MySQL timeout
  EXPECT_FALSE(gtid_wait_succeeded(std::nullopt));       // NULL: not a replica / bad argument
}

TEST(ReplicationSql, GtidTextIsCheckedBeforeItBecomesSql) {
  EXPECT_TRUE(valid_gtid_text(server_flavor::mariadb, "0-1-42"));
  EXPECT_TRUE(valid_gtid_text(server_flavor::mariadb, "0-1-42,1-2-7"));
  EXPECT_FALSE(valid_gtid_text(server_flavor::mariadb, ""));
  EXPECT_FALSE(valid_gtid_text(server_flavor::mariadb, "0-1-42'); DROP TABLE t; --"));
  EXPECT_FALSE(valid_gtid_text(server_flavor::mariadb, "3e11fa47-71ca:1-5"));
  EXPECT_TRUE(valid_gtid_text(server_flavor::mysql, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,\n"
                                                      "4a11fa47-71ca-11e1-9e33-c80aa9429562:1-3"));
  EXPECT_FALSE(valid_gtid_text(server_flavor::mysql, "3e11fa47:1-5'"));
}

TEST(ReplicationSql, PointingAReplicaAtASource) {
  const source_settings s{"10.0.0.1", 3306, "repl", "it's"};
  EXPECT_EQ(change_source_query(server_flavor::mariadb, s),
            "CHANGE MASTER TO MASTER_HOST='10.0.0.1', MASTER_PORT=3306, MASTER_USER='repl', "
            "MASTER_PASSWORD='it\\'s', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
  EXPECT_EQ(change_source_query(server_flavor::mysql, s),
            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.0.1', SOURCE_PORT=3306, SOURCE_USER='repl', "
            "SOURCE_PASSWORD='it\\'s', SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, GET_SOURCE_PUBLIC_KEY=1");
  EXPECT_EQ(start_replica_query(server_flavor::mariadb), "START SLAVE");
  EXPECT_EQ(start_replica_query(server_flavor::mysql), "START REPLICA");
  EXPECT_EQ(stop_replica_query(server_flavor::mysql), "STOP REPLICA");
  EXPECT_EQ(reset_replica_query(server_flavor::mariadb), "RESET SLAVE ALL");
  EXPECT_EQ(reset_replica_query(server_flavor::mysql), "RESET REPLICA ALL");
  EXPECT_EQ(set_read_only_query(true), "SET GLOBAL read_only = ON");
  EXPECT_EQ(binlog_position_query(server_flavor::mariadb), "SELECT @@gtid_binlog_pos AS gtid");
  EXPECT_EQ(binlog_position_query(server_flavor::mysql), "SELECT @@global.gtid_executed AS gtid");
  EXPECT_EQ(start_from_position_query(server_flavor::mariadb, "0-1-5"), "SET GLOBAL gtid_slave_pos = '0-1-5'");
}

TEST(ReplicationSql, AnOldPrimaryRejoinsFromItsOwnBinlog) {
  source_settings s{"10.0.0.2", 3307, "repl", "pw"};
  s.from_own_binlog = true;
  EXPECT_EQ(change_source_query(server_flavor::mariadb, s),
            "CHANGE MASTER TO MASTER_HOST='10.0.0.2', MASTER_PORT=3307, MASTER_USER='repl', "
            "MASTER_PASSWORD='pw', MASTER_USE_GTID=current_pos, MASTER_CONNECT_RETRY=1");
  // MySQL's auto-positioning sends the executed set either way.
  EXPECT_EQ(change_source_query(server_flavor::mysql, s),
            "CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.0.2', SOURCE_PORT=3307, SOURCE_USER='repl', "
            "SOURCE_PASSWORD='pw', SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, GET_SOURCE_PUBLIC_KEY=1");
}

TEST(ReplicationSql, FailoverColumnsPerFlavor) {
  EXPECT_EQ(received_gtid_column(server_flavor::mariadb), "Gtid_IO_Pos");
  EXPECT_EQ(received_gtid_column(server_flavor::mysql), "Retrieved_Gtid_Set");
  EXPECT_EQ(source_host_column(server_flavor::mariadb), "Master_Host");
  EXPECT_EQ(source_port_column(server_flavor::mysql), "Source_Port");
  EXPECT_EQ(io_running_column(server_flavor::mysql), "Replica_IO_Running");
  EXPECT_EQ(sql_running_column(server_flavor::mariadb), "Slave_SQL_Running");
  EXPECT_EQ(stop_io_thread_query(server_flavor::mariadb), "STOP SLAVE IO_THREAD");
  EXPECT_EQ(stop_io_thread_query(server_flavor::mysql), "STOP REPLICA IO_THREAD");
  EXPECT_NE(server_identity_query(server_flavor::mariadb).find("@@gtid_current_pos AS gtid"), std::string_view::npos);
  EXPECT_NE(server_identity_query(server_flavor::mysql).find("@@gtid_mode AS gtid_mode"), std::string_view::npos);
  EXPECT_EQ(gtid_wait_query(server_flavor::mysql, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", std::chrono::milliseconds(2500)),
            "SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 2.500)");
}

TEST(ReplicationSql, ReplicationAccount) {
  EXPECT_EQ(create_replication_user_query(server_flavor::mariadb, "repl", "pw"),
            "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'pw'");
  EXPECT_EQ(create_replication_user_query(server_flavor::mysql, "repl", "pw"),
            "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED WITH mysql_native_password BY 'pw'");
  EXPECT_EQ(grant_replication_query("repl"), "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
  EXPECT_EQ(sql_literal("a\\b'c"), "'a\\\\b\\'c'");
}

}  // namespace
}  // namespace weft::routing
