CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL,
  `title` varchar(200),
  `summary` text
);
INSERT INTO `fanfiction_stories` VALUES (1,'It\'s \"q\"\n\0\Z\\',NULL),(2,0x4869,'caf\xe9'),(-3,'',_binary 'x');
INSERT INTO `fanfiction_chapters` (`chapid`,`sid`,`storytext`) VALUES (1,1,'<p>a</p>&amp;<br><br>b');
