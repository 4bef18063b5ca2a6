/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: efiction_sample_files
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `fanfiction_authorfields`
--

DROP TABLE IF EXISTS `fanfiction_authorfields`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_authorfields` (
  `field_id` int(11) NOT NULL AUTO_INCREMENT,
  `field_type` tinyint(4) NOT NULL DEFAULT 0,
  `field_name` varchar(30) NOT NULL DEFAULT ' ',
  `field_title` varchar(255) NOT NULL DEFAULT ' ',
  `field_options` text DEFAULT NULL,
  `field_code_in` text DEFAULT NULL,
  `field_code_out` text DEFAULT NULL,
  `field_on` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`field_id`)
) ENGINE=MyISAM AUTO_INCREMENT=13 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_authorfields`
--

LOCK TABLES `fanfiction_authorfields` WRITE;
/*!40000 ALTER TABLE `fanfiction_authorfields` DISABLE KEYS */;
INSERT INTO `fanfiction_authorfields` VALUES
(1,4,'lj','Live Journal','http://{info}.livejournal.com','','',0),
(2,1,'website','Web Site','','','',1);
/*!40000 ALTER TABLE `fanfiction_authorfields` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_authorinfo`
--

DROP TABLE IF EXISTS `fanfiction_authorinfo`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_authorinfo` (
  `uid` int(11) NOT NULL DEFAULT 0,
  `field` int(11) NOT NULL DEFAULT 0,
  `info` varchar(255) NOT NULL DEFAULT ' ',
  PRIMARY KEY (`uid`,`field`),
  KEY `uid` (`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_authorinfo`
--

LOCK TABLES `fanfiction_authorinfo` WRITE;
/*!40000 ALTER TABLE `fanfiction_authorinfo` DISABLE KEYS */;
INSERT INTO `fanfiction_authorinfo` VALUES
(4,2,'http://paperlanterns.example.net/'),
(5,2,'http://quietharbor.example.net/');
/*!40000 ALTER TABLE `fanfiction_authorinfo` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_authorprefs`
--

DROP TABLE IF EXISTS `fanfiction_authorprefs`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_authorprefs` (
  `uid` int(11) NOT NULL DEFAULT 0,
  `newreviews` tinyint(1) NOT NULL DEFAULT 0,
  `newrespond` tinyint(1) NOT NULL DEFAULT 0,
  `ageconsent` tinyint(1) NOT NULL DEFAULT 0,
  `alertson` tinyint(1) NOT NULL DEFAULT 0,
  `tinyMCE` tinyint(1) NOT NULL DEFAULT 0,
  `sortby` tinyint(1) NOT NULL DEFAULT 0,
  `storyindex` tinyint(1) NOT NULL DEFAULT 0,
  `validated` tinyint(1) NOT NULL DEFAULT 0,
  `userskin` varchar(60) NOT NULL DEFAULT 'default',
  `level` tinyint(1) NOT NULL DEFAULT 0,
  `categories` varchar(200) NOT NULL DEFAULT '0',
  `contact` tinyint(1) NOT NULL DEFAULT 0,
  `stories` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_authorprefs`
--

LOCK TABLES `fanfiction_authorprefs` WRITE;
/*!40000 ALTER TABLE `fanfiction_authorprefs` DISABLE KEYS */;
INSERT INTO `fanfiction_authorprefs` VALUES
(1,0,0,0,0,0,0,0,0,'default',1,'0',0,0),
(2,1,1,0,1,0,0,0,0,'default',0,'0',1,5);
/*!40000 ALTER TABLE `fanfiction_authorprefs` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_authors`
--

DROP TABLE IF EXISTS `fanfiction_authors`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `realname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  `bio` text DEFAULT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  `date` int(10) unsigned NOT NULL DEFAULT 0,
  `admincreated` char(1) NOT NULL DEFAULT '0',
  `password` varchar(40) NOT NULL DEFAULT '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`),
  KEY `admincreated` (`admincreated`)
) ENGINE=MyISAM AUTO_INCREMENT=27 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_authors`
--

LOCK TABLES `fanfiction_authors` WRITE;
/*!40000 ALTER TABLE `fanfiction_authors` DISABLE KEYS */;
INSERT INTO `fanfiction_authors` VALUES
(1,'ArchiveAdmin','','admin@example.org',NULL,'',1796657117,'0','25e4ee4e9229397b6b17776bfceaf8e7'),
(2,'inkwellwitch','J. R.','inkwellwitch@example.org','Lurker turned writer. Be gentle &amp; kind.','',1151910820,'0','33d731241bc4f3391ff2995ca60c196a');
/*!40000 ALTER TABLE `fanfiction_authors` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_blocks`
--

DROP TABLE IF EXISTS `fanfiction_blocks`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_blocks` (
  `block_id` int(11) NOT NULL AUTO_INCREMENT,
  `block_name` varchar(30) NOT NULL DEFAULT '',
  `block_title` varchar(150) NOT NULL DEFAULT '',
  `block_file` varchar(200) NOT NULL DEFAULT '',
  `block_status` tinyint(1) NOT NULL DEFAULT 0,
  `block_variables` text NOT NULL,
  PRIMARY KEY (`block_id`),
  KEY `block_name` (`block_name`)
) ENGINE=MyISAM AUTO_INCREMENT=10 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_blocks`
--

LOCK TABLES `fanfiction_blocks` WRITE;
/*!40000 ALTER TABLE `fanfiction_blocks` DISABLE KEYS */;
INSERT INTO `fanfiction_blocks` VALUES
(1,'categories','Categories','categories/categories.php',1,''),
(2,'featured','Featured Stories','featured/featured.php',1,'');
/*!40000 ALTER TABLE `fanfiction_blocks` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_categories`
--

DROP TABLE IF EXISTS `fanfiction_categories`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_categories` (
  `catid` int(11) NOT NULL AUTO_INCREMENT,
  `parentcatid` int(11) NOT NULL DEFAULT -1,
  `category` varchar(60) NOT NULL DEFAULT '',
  `description` text NOT NULL,
  `image` varchar(100) NOT NULL DEFAULT '',
  `locked` char(1) NOT NULL DEFAULT '0',
  `leveldown` tinyint(4) NOT NULL DEFAULT 0,
  `displayorder` int(11) NOT NULL DEFAULT 0,
  `numitems` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`catid`),
  KEY `byparent` (`parentcatid`,`displayorder`)
) ENGINE=MyISAM AUTO_INCREMENT=15 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_categories`
--

LOCK TABLES `fanfiction_categories` WRITE;
/*!40000 ALTER TABLE `fanfiction_categories` DISABLE KEYS */;
INSERT INTO `fanfiction_categories` VALUES
(1,-1,'Starfall Academy','Stories set in the world of <i>Starfall Academy</i>.','','1',0,1,15),
(2,1,'First Year','','','0',1,1,2);
/*!40000 ALTER TABLE `fanfiction_categories` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_chapters`
--

DROP TABLE IF EXISTS `fanfiction_chapters`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `inorder` int(11) NOT NULL DEFAULT 0,
  `notes` text DEFAULT NULL,
  `storytext` text DEFAULT NULL,
  `endnotes` text DEFAULT NULL,
  `validated` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT 0,
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `sid` int(11) NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  `count` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`chapid`),
  KEY `sid` (`sid`),
  KEY `uid` (`uid`),
  KEY `inorder` (`inorder`),
  KEY `title` (`title`),
  KEY `validated` (`validated`),
  KEY `forstoryblock` (`sid`,`validated`)
) ENGINE=MyISAM AUTO_INCREMENT=151 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_chapters`
--

LOCK TABLES `fanfiction_chapters` WRITE;
/*!40000 ALTER TABLE `fanfiction_chapters` DISABLE KEYS */;
INSERT INTO `fanfiction_chapters` VALUES
(1,'Part 1: Of Ada Quill',1,'',NULL,'','1',1282,0,0,1,2,1965),
(2,'Chapter 2',2,'',NULL,'','1',1907,0,0,1,2,1755);
/*!40000 ALTER TABLE `fanfiction_chapters` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_characters`
--

DROP TABLE IF EXISTS `fanfiction_characters`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_characters` (
  `charid` int(11) NOT NULL AUTO_INCREMENT,
  `catid` int(11) NOT NULL DEFAULT 0,
  `charname` varchar(60) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`charid`),
  KEY `catid` (`catid`),
  KEY `charname` (`charname`)
) ENGINE=MyISAM AUTO_INCREMENT=20 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_characters`
--

LOCK TABLES `fanfiction_characters` WRITE;
/*!40000 ALTER TABLE `fanfiction_characters` DISABLE KEYS */;
INSERT INTO `fanfiction_characters` VALUES
(1,1,'Mira Calloway','',''),
(2,1,'Professor Thane','','');
/*!40000 ALTER TABLE `fanfiction_characters` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_classes`
--

DROP TABLE IF EXISTS `fanfiction_classes`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_classes` (
  `class_id` int(11) NOT NULL AUTO_INCREMENT,
  `class_type` int(11) NOT NULL DEFAULT 0,
  `class_name` varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY (`class_id`),
  KEY `byname` (`class_type`,`class_name`,`class_id`)
) ENGINE=MyISAM AUTO_INCREMENT=13 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_classes`
--

LOCK TABLES `fanfiction_classes` WRITE;
/*!40000 ALTER TABLE `fanfiction_classes` DISABLE KEYS */;
INSERT INTO `fanfiction_classes` VALUES
(1,1,'Adventure'),
(2,1,'Angst');
/*!40000 ALTER TABLE `fanfiction_classes` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_classtypes`
--

DROP TABLE IF EXISTS `fanfiction_classtypes`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_classtypes` (
  `classtype_id` int(11) NOT NULL AUTO_INCREMENT,
  `classtype_name` varchar(50) NOT NULL DEFAULT '',
  `classtype_title` varchar(50) NOT NULL DEFAULT '',
  PRIMARY KEY (`classtype_id`),
  UNIQUE KEY `classtype_name` (`classtype_name`)
) ENGINE=MyISAM AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_classtypes`
--

LOCK TABLES `fanfiction_classtypes` WRITE;
/*!40000 ALTER TABLE `fanfiction_classtypes` DISABLE KEYS */;
INSERT INTO `fanfiction_classtypes` VALUES
(1,'genres','Genres'),
(2,'warnings','Warnings');
/*!40000 ALTER TABLE `fanfiction_classtypes` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_coauthors`
--

DROP TABLE IF EXISTS `fanfiction_coauthors`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_coauthors` (
  `sid` int(11) NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`sid`,`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_coauthors`
--

LOCK TABLES `fanfiction_coauthors` WRITE;
/*!40000 ALTER TABLE `fanfiction_coauthors` DISABLE KEYS */;
INSERT INTO `fanfiction_coauthors` VALUES
(12,6),
(20,2);
/*!40000 ALTER TABLE `fanfiction_coauthors` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_codeblocks`
--

DROP TABLE IF EXISTS `fanfiction_codeblocks`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_codeblocks` (
  `code_id` int(11) NOT NULL AUTO_INCREMENT,
  `code_text` text NOT NULL,
  `code_type` varchar(20) DEFAULT NULL,
  `code_module` varchar(60) DEFAULT NULL,
  PRIMARY KEY (`code_id`),
  KEY `code_type` (`code_type`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_codeblocks`
--

LOCK TABLES `fanfiction_codeblocks` WRITE;
/*!40000 ALTER TABLE `fanfiction_codeblocks` DISABLE KEYS */;
/*!40000 ALTER TABLE `fanfiction_codeblocks` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_comments`
--

DROP TABLE IF EXISTS `fanfiction_comments`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_comments` (
  `cid` int(11) NOT NULL AUTO_INCREMENT,
  `nid` int(11) NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  `comment` text NOT NULL,
  `time` int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`cid`),
  KEY `commentlist` (`nid`,`time`)
) ENGINE=MyISAM AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_comments`
--

LOCK TABLES `fanfiction_comments` WRITE;
/*!40000 ALTER TABLE `fanfiction_comments` DISABLE KEYS */;
INSERT INTO `fanfiction_comments` VALUES
(1,1,9,'Yay, new features!',1258781116),
(2,1,7,'Thanks for all your work on the archive!',1364266674);
/*!40000 ALTER TABLE `fanfiction_comments` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_favorites`
--

DROP TABLE IF EXISTS `fanfiction_favorites`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_favorites` (
  `uid` int(11) NOT NULL DEFAULT 0,
  `item` int(11) NOT NULL DEFAULT 0,
  `type` char(2) NOT NULL DEFAULT '',
  `comments` text NOT NULL,
  UNIQUE KEY `byitem` (`item`,`type`,`uid`),
  UNIQUE KEY `byuid` (`uid`,`type`,`item`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_favorites`
--

LOCK TABLES `fanfiction_favorites` WRITE;
/*!40000 ALTER TABLE `fanfiction_favorites` DISABLE KEYS */;
INSERT INTO `fanfiction_favorites` VALUES
(26,15,'AU','Comfort read.'),
(19,6,'ST','Comfort read.');
/*!40000 ALTER TABLE `fanfiction_favorites` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_inseries`
--

DROP TABLE IF EXISTS `fanfiction_inseries`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_inseries` (
  `seriesid` int(11) NOT NULL DEFAULT 0,
  `sid` int(11) NOT NULL DEFAULT 0,
  `subseriesid` int(11) NOT NULL DEFAULT 0,
  `confirmed` int(11) NOT NULL DEFAULT 0,
  `inorder` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`sid`,`seriesid`,`subseriesid`),
  KEY `seriesid` (`seriesid`,`inorder`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_inseries`
--

LOCK TABLES `fanfiction_inseries` WRITE;
/*!40000 ALTER TABLE `fanfiction_inseries` DISABLE KEYS */;
INSERT INTO `fanfiction_inseries` VALUES
(1,50,0,1,1),
(1,54,0,1,2);
/*!40000 ALTER TABLE `fanfiction_inseries` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_log`
--

DROP TABLE IF EXISTS `fanfiction_log`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_log` (
  `log_id` int(11) NOT NULL AUTO_INCREMENT,
  `log_action` varchar(255) DEFAULT NULL,
  `log_uid` int(11) NOT NULL,
  `log_ip` varbinary(16) DEFAULT NULL,
  `log_timestamp` int(10) unsigned NOT NULL DEFAULT 0,
  `log_type` varchar(2) NOT NULL,
  PRIMARY KEY (`log_id`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_log`
--

LOCK TABLES `fanfiction_log` WRITE;
/*!40000 ALTER TABLE `fanfiction_log` DISABLE KEYS */;
/*!40000 ALTER TABLE `fanfiction_log` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_messages`
--

DROP TABLE IF EXISTS `fanfiction_messages`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_messages` (
  `message_id` int(11) NOT NULL AUTO_INCREMENT,
  `message_name` varchar(50) NOT NULL DEFAULT '',
  `message_title` varchar(200) NOT NULL DEFAULT '',
  `message_text` text NOT NULL,
  PRIMARY KEY (`message_id`),
  KEY `message_name` (`message_name`)
) ENGINE=MyISAM AUTO_INCREMENT=10 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_messages`
--

LOCK TABLES `fanfiction_messages` WRITE;
/*!40000 ALTER TABLE `fanfiction_messages` DISABLE KEYS */;
INSERT INTO `fanfiction_messages` VALUES
(1,'welcome','','This is your welcome message. It appears on the index page. Include it in your .tpl files with {welcome}.'),
(2,'copyright','','This is your sample copyright footer.  Include it in your footer.tpl with <b>{footer}</b><br />\r\n<u>Disclaimer:</u>  All publicly recognizable characters, settings, etc. are the property of their respective owners.  The original characters and plot are the property of the author.  No money is being made from this work.  No copyright infringement is intended.\r\n');
/*!40000 ALTER TABLE `fanfiction_messages` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_modules`
--

DROP TABLE IF EXISTS `fanfiction_modules`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_modules` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(100) NOT NULL DEFAULT 'Test Module',
  `version` varchar(10) NOT NULL DEFAULT '1.0',
  PRIMARY KEY (`id`),
  KEY `name_version` (`name`,`version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_modules`
--

LOCK TABLES `fanfiction_modules` WRITE;
/*!40000 ALTER TABLE `fanfiction_modules` DISABLE KEYS */;
/*!40000 ALTER TABLE `fanfiction_modules` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_news`
--

DROP TABLE IF EXISTS `fanfiction_news`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_news` (
  `nid` int(11) NOT NULL AUTO_INCREMENT,
  `author` varchar(60) NOT NULL DEFAULT '',
  `title` varchar(255) NOT NULL DEFAULT '',
  `story` text NOT NULL,
  `time` int(10) unsigned NOT NULL DEFAULT 0,
  `comments` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`nid`)
) ENGINE=MyISAM AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_news`
--

LOCK TABLES `fanfiction_news` WRITE;
/*!40000 ALTER TABLE `fanfiction_news` DISABLE KEYS */;
INSERT INTO `fanfiction_news` VALUES
(1,'ArchiveAdmin','Welcome to the archive!','We are <b>open</b>. Please read the submission rules first.',1316443846,2),
(2,'ArchiveAdmin','Server move','The archive moved to a new host this weekend. Report anything odd &mdash; thanks!',1355389891,3);
/*!40000 ALTER TABLE `fanfiction_news` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_pagelinks`
--

DROP TABLE IF EXISTS `fanfiction_pagelinks`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_pagelinks` (
  `link_id` int(11) NOT NULL AUTO_INCREMENT,
  `link_name` varchar(50) NOT NULL DEFAULT '',
  `link_text` varchar(100) NOT NULL DEFAULT '',
  `link_key` char(1) DEFAULT NULL,
  `link_url` varchar(250) NOT NULL DEFAULT '',
  `link_target` char(1) NOT NULL DEFAULT '0',
  `link_access` tinyint(4) NOT NULL DEFAULT 0,
  PRIMARY KEY (`link_id`),
  KEY `link_name` (`link_name`)
) ENGINE=MyISAM AUTO_INCREMENT=27 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_pagelinks`
--

LOCK TABLES `fanfiction_pagelinks` WRITE;
/*!40000 ALTER TABLE `fanfiction_pagelinks` DISABLE KEYS */;
INSERT INTO `fanfiction_pagelinks` VALUES
(1,'home','Home',NULL,'index.php','0',0),
(2,'recent','Most Recent',NULL,'browse.php?type=recent','0',0);
/*!40000 ALTER TABLE `fanfiction_pagelinks` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_panels`
--

DROP TABLE IF EXISTS `fanfiction_panels`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_panels` (
  `panel_id` int(11) NOT NULL AUTO_INCREMENT,
  `panel_name` varchar(50) NOT NULL DEFAULT 'unknown',
  `panel_title` varchar(100) NOT NULL DEFAULT 'Unnamed Panel',
  `panel_url` varchar(100) DEFAULT NULL,
  `panel_level` tinyint(4) NOT NULL DEFAULT 3,
  `panel_order` tinyint(4) NOT NULL DEFAULT 0,
  `panel_hidden` tinyint(1) NOT NULL DEFAULT 0,
  `panel_type` varchar(20) NOT NULL DEFAULT 'A',
  PRIMARY KEY (`panel_id`),
  KEY `panel_type` (`panel_type`,`panel_name`)
) ENGINE=MyISAM AUTO_INCREMENT=78 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_panels`
--

LOCK TABLES `fanfiction_panels` WRITE;
/*!40000 ALTER TABLE `fanfiction_panels` DISABLE KEYS */;
INSERT INTO `fanfiction_panels` VALUES
(1,'submitted','Submissions','',3,5,0,'A'),
(2,'versioncheck','Version Check','',3,7,0,'A');
/*!40000 ALTER TABLE `fanfiction_panels` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_ratings`
--

DROP TABLE IF EXISTS `fanfiction_ratings`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_ratings` (
  `rid` int(11) NOT NULL AUTO_INCREMENT,
  `rating` varchar(60) NOT NULL DEFAULT '',
  `ratingwarning` char(1) NOT NULL DEFAULT '0',
  `warningtext` text NOT NULL,
  PRIMARY KEY (`rid`),
  KEY `rating` (`rating`)
) ENGINE=MyISAM AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_ratings`
--

LOCK TABLES `fanfiction_ratings` WRITE;
/*!40000 ALTER TABLE `fanfiction_ratings` DISABLE KEYS */;
INSERT INTO `fanfiction_ratings` VALUES
(1,'General Audiences','0',''),
(2,'Teen','0','');
/*!40000 ALTER TABLE `fanfiction_ratings` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_reviews`
--

DROP TABLE IF EXISTS `fanfiction_reviews`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_reviews` (
  `reviewid` int(11) NOT NULL AUTO_INCREMENT,
  `item` int(11) NOT NULL DEFAULT 0,
  `chapid` int(11) NOT NULL DEFAULT 0,
  `reviewer` varchar(60) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT 0,
  `review` text NOT NULL,
  `date` int(10) unsigned NOT NULL DEFAULT 0,
  `rating` int(11) NOT NULL DEFAULT 0,
  `respond` char(1) NOT NULL DEFAULT '0',
  `type` char(2) NOT NULL DEFAULT '',
  PRIMARY KEY (`reviewid`),
  KEY `chapid` (`chapid`),
  KEY `rating` (`rating`),
  KEY `respond` (`respond`),
  KEY `avgrating` (`type`,`item`,`rating`),
  KEY `bychapter` (`chapid`,`rating`),
  KEY `byuid` (`uid`,`item`,`type`)
) ENGINE=MyISAM AUTO_INCREMENT=201 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_reviews`
--

LOCK TABLES `fanfiction_reviews` WRITE;
/*!40000 ALTER TABLE `fanfiction_reviews` DISABLE KEYS */;
INSERT INTO `fanfiction_reviews` VALUES
(1,5,0,'Juniper_Jones',20,'I loved the bit with the kettle, it felt so real.',1267033097,1,'0','SE'),
(2,3,0,'a lurker',0,'Short but sweet. More please!',1369412748,-1,'0','SE');
/*!40000 ALTER TABLE `fanfiction_reviews` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_series`
--

DROP TABLE IF EXISTS `fanfiction_series`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_series` (
  `seriesid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text NOT NULL,
  `uid` int(11) NOT NULL DEFAULT 0,
  `isopen` tinyint(4) NOT NULL DEFAULT 0,
  `catid` varchar(200) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `classes` varchar(200) NOT NULL DEFAULT '',
  `characters` varchar(250) NOT NULL DEFAULT '',
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `numstories` int(11) NOT NULL DEFAULT 0,
  `challenges` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`seriesid`),
  KEY `catid` (`catid`),
  KEY `characters` (`characters`),
  KEY `classes` (`classes`),
  KEY `owner` (`uid`,`title`)
) ENGINE=MyISAM AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_series`
--

LOCK TABLES `fanfiction_series` WRITE;
/*!40000 ALTER TABLE `fanfiction_series` DISABLE KEYS */;
INSERT INTO `fanfiction_series` VALUES
(1,'The Harbor Cycle','Drabbles, ficlets &amp; outtakes.',2,0,'5,6',1,'','',8,2,''),
(2,'Starfall Stories','Drabbles, ficlets &amp; outtakes.',2,0,'4,5,6',1,'','',4,5,'');
/*!40000 ALTER TABLE `fanfiction_series` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_settings`
--

DROP TABLE IF EXISTS `fanfiction_settings`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_settings` (
  `sitekey` varchar(50) NOT NULL DEFAULT '1',
  `sitename` varchar(200) NOT NULL DEFAULT 'Your Site',
  `slogan` varchar(200) NOT NULL DEFAULT 'It''s a cool site!',
  `url` varchar(200) NOT NULL DEFAULT 'http://www.yoursite.com',
  `siteemail` varchar(200) NOT NULL DEFAULT 'you@yoursite.com',
  `tableprefix` varchar(50) NOT NULL DEFAULT '',
  `skin` varchar(50) NOT NULL DEFAULT 'default',
  `hiddenskins` varchar(255) DEFAULT '',
  `language` varchar(10) NOT NULL DEFAULT 'en',
  `submissionsoff` tinyint(1) NOT NULL DEFAULT 0,
  `storiespath` varchar(20) NOT NULL DEFAULT 'stories',
  `store` varchar(5) NOT NULL DEFAULT 'files',
  `autovalidate` tinyint(1) NOT NULL DEFAULT 0,
  `coauthallowed` int(1) NOT NULL DEFAULT 0,
  `maxwords` int(11) NOT NULL DEFAULT 0,
  `minwords` int(11) NOT NULL DEFAULT 0,
  `imageupload` tinyint(1) NOT NULL DEFAULT 0,
  `imageheight` int(11) NOT NULL DEFAULT 200,
  `imagewidth` int(11) NOT NULL DEFAULT 200,
  `roundrobins` tinyint(1) NOT NULL DEFAULT 0,
  `allowseries` tinyint(4) NOT NULL DEFAULT 2,
  `tinyMCE` tinyint(1) NOT NULL DEFAULT 0,
  `allowed_tags` varchar(200) NOT NULL DEFAULT '<b><i><u><center><hr><p><br /><br><blockquote><ol><ul><li><img><strong><em>',
  `favorites` tinyint(1) NOT NULL DEFAULT 0,
  `multiplecats` tinyint(1) NOT NULL DEFAULT 0,
  `newscomments` tinyint(1) NOT NULL DEFAULT 0,
  `logging` tinyint(1) NOT NULL DEFAULT 0,
  `maintenance` tinyint(1) NOT NULL DEFAULT 0,
  `debug` tinyint(1) NOT NULL DEFAULT 0,
  `captcha` tinyint(1) NOT NULL DEFAULT 0,
  `dateformat` varchar(20) NOT NULL DEFAULT 'd/m/y',
  `timeformat` varchar(20) NOT NULL DEFAULT '- h:i a',
  `recentdays` tinyint(2) NOT NULL DEFAULT 7,
  `displaycolumns` tinyint(1) NOT NULL DEFAULT 1,
  `itemsperpage` tinyint(2) NOT NULL DEFAULT 25,
  `extendcats` tinyint(1) NOT NULL DEFAULT 0,
  `displayindex` tinyint(1) NOT NULL DEFAULT 0,
  `defaultsort` tinyint(1) NOT NULL DEFAULT 0,
  `displayprofile` tinyint(1) NOT NULL DEFAULT 0,
  `linkstyle` tinyint(1) NOT NULL DEFAULT 0,
  `linkrange` tinyint(2) NOT NULL DEFAULT 5,
  `reviewsallowed` tinyint(1) NOT NULL DEFAULT 0,
  `ratings` tinyint(1) NOT NULL DEFAULT 0,
  `anonreviews` tinyint(1) NOT NULL DEFAULT 0,
  `revdelete` tinyint(1) NOT NULL DEFAULT 0,
  `rateonly` tinyint(1) NOT NULL DEFAULT 0,
  `pwdsetting` tinyint(1) NOT NULL DEFAULT 0,
  `alertson` tinyint(1) NOT NULL DEFAULT 0,
  `disablepopups` tinyint(1) NOT NULL DEFAULT 0,
  `agestatement` tinyint(1) NOT NULL DEFAULT 0,
  `words` text DEFAULT NULL,
  `version` varchar(10) NOT NULL DEFAULT '3.5.8',
  `smtp_host` varchar(200) DEFAULT NULL,
  `smtp_username` varchar(50) DEFAULT NULL,
  `smtp_password` varchar(50) DEFAULT NULL,
  PRIMARY KEY (`sitekey`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_settings`
--

LOCK TABLES `fanfiction_settings` WRITE;
/*!40000 ALTER TABLE `fanfiction_settings` DISABLE KEYS */;
INSERT INTO `fanfiction_settings` VALUES
('quiresample','Quire Sample Archive','Sample fan fiction for migration tests','http://127.0.0.1:18200','admin@example.org','','default','','en',0,'stories','files',0,1,0,0,0,200,200,1,2,0,'<b><i><u><center><hr><p><br /><br><blockquote><ol><ul><li><img><strong><em>',1,1,1,0,0,0,0,'d/m/y','- h:i a',7,1,25,0,0,0,0,0,5,1,2,1,1,0,0,1,0,0,NULL,'3.5.8','','','');
/*!40000 ALTER TABLE `fanfiction_settings` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_stats`
--

DROP TABLE IF EXISTS `fanfiction_stats`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_stats` (
  `sitekey` varchar(50) NOT NULL DEFAULT '0',
  `stories` int(11) NOT NULL DEFAULT 0,
  `chapters` int(11) NOT NULL DEFAULT 0,
  `series` int(11) NOT NULL DEFAULT 0,
  `reviews` int(11) NOT NULL DEFAULT 0,
  `wordcount` int(11) NOT NULL DEFAULT 0,
  `authors` int(11) NOT NULL DEFAULT 0,
  `members` int(11) NOT NULL DEFAULT 0,
  `reviewers` int(11) NOT NULL DEFAULT 0,
  `newestmember` int(11) NOT NULL DEFAULT 0
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_stats`
--

LOCK TABLES `fanfiction_stats` WRITE;
/*!40000 ALTER TABLE `fanfiction_stats` DISABLE KEYS */;
INSERT INTO `fanfiction_stats` VALUES
('quiresample',54,132,5,200,186336,24,26,25,26);
/*!40000 ALTER TABLE `fanfiction_stats` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `fanfiction_stories`
--

DROP TABLE IF EXISTS `fanfiction_stories`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT 'Untitled',
  `summary` text DEFAULT NULL,
  `storynotes` text DEFAULT NULL,
  `catid` varchar(100) NOT NULL DEFAULT '0',
  `classes` varchar(200) NOT NULL DEFAULT '0',
  `charid` varchar(250) NOT NULL DEFAULT '0',
  `rid` varchar(25) NOT NULL DEFAULT '0',
  `date` int(10) unsigned NOT NULL DEFAULT 0,
  `updated` int(10) unsigned NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  `coauthors` tinyint(1) NOT NULL DEFAULT 0,
  `featured` char(1) NOT NULL DEFAULT '0',
  `validated` char(1) NOT NULL DEFAULT '0',
  `completed` char(1) NOT NULL DEFAULT '0',
  `rr` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT 0,
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `count` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`sid`),
  KEY `title` (`title`),
  KEY `catid` (`catid`),
  KEY `charid` (`charid`),
  KEY `rid` (`rid`),
  KEY `uid` (`uid`),
  KEY `featured` (`featured`),
  KEY `completed` (`completed`),
  KEY `rr` (`rr`),
  KEY `validateduid` (`validated`,`uid`),
  KEY `recent` (`updated`,`validated`)
) ENGINE=MyISAM AUTO_INCREMENT=61 DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `fanfiction_stories`
--

LOCK TABLES `fanfiction_stories` WRITE;
/*!40000 ALTER TABLE `fanfiction_stories` DISABLE KEYS */;
INSERT INTO `fanfiction_stories` VALUES
(1,'Quiet Comet for Two','Missing scene: what Ada Quill did in the hours after the bridge fell.','Thanks to my beta, who caught every comma I dropped.','4','4,10','1,4','2',1199793135,1204455582,2,0,'1','1','0','0',4915,0,0,416),
(2,'Every Lantern Home','A &amp; map, a key, and a ledger nobody was meant to read.','','6','4,6,9,10','7,6,9','2',1336386966,1342225366,3,0,'0','1','1','0',3006,1,1,446);
/*!40000 ALTER TABLE `fanfiction_stories` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Dumping routines for database 'efiction_sample_files'
--
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-12-07 15:25:20
