"""Name pools for synthetic people (姓名): common surnames and given names of the period.

Also the homophone substitutions (同音不同字) a clerk makes, and characters outside GBK.
"""

from __future__ import annotations

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
)

MALE_GIVEN = (
    "建国 志强 永生 国庆 卫东 文革 保国 德明 宝山 立新 新民 海峰 俊杰 建华 志刚 忠诚 长青 "
    "振华 国强 红军 学军 建军 文明 春生 金生 树林 东升 建平 玉林 海涛 明 军 伟 刚 强 平 勇 "
    "杰 峰 斌 磊 涛 超 辉 鹏 华 林 东"
).split()

FEMALE_GIVEN = (
    "桂兰 秀英 玉梅 春花 淑珍 红霞 美玲 翠萍 凤英 海燕 红梅 玉兰 秀兰 桂英 丽华 建华 淑芬 "
    "秀珍 玉珍 丽娟 晓红 彩霞 艳红 慧敏 丽 芳 静 敏 燕 霞 红 英 梅 娟 萍 玲 兰"
).split()

# 同音不同字: each pair has the same pinyin (and tone), both in GBK.
HOMOPHONES = {
    "生": "升",
    "兰": "岚",
    "华": "骅",
    "明": "鸣",
    "英": "瑛",
    "军": "君",
    "红": "宏",
    "伟": "玮",
    "平": "萍",
    "刚": "钢",
    "丽": "莉",
    "杰": "洁",
    "峰": "锋",
    "梅": "玫",
    "芳": "方",
    "东": "冬",
    "林": "琳",
    "玉": "钰",
    "霞": "遐",
    "静": "靖",
    "秀": "绣",
    "燕": "艳",
    "建": "健",
    "志": "智",
    "文": "雯",
    "新": "欣",
    "立": "力",
    "珍": "真",
    "萍": "平",
    "玲": "铃",
    "娟": "涓",
    "强": "蔷",
    "国": "帼",
    "涛": "滔",
}

# Given names with a character outside GBK (CJK Extension A / B); GB18030 or UTF-8 only.
RARE_GIVEN = ("䶮", "子䶮", "𠮷祥", "㛃", "文䶮", "𠮷")


def homophone_variant(name: str) -> str | None:
    """The name with its last substitutable given-name character replaced, or None."""
    for i in range(len(name) - 1, 0, -1):
        if name[i] in HOMOPHONES:
            return name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]
    return None


def is_gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True
