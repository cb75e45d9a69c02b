//! Traditional characters read as Simplified ones, one character for one character.
//!
//! The parser matches keywords (责任单位, 牵头单位, 实施步骤 …) and builds
//! department names on a *folded* copy of the text in which every Traditional
//! character of the table below is replaced by its Simplified form. Each pair has the
//! same UTF-8 length (three bytes), so the folded copy has the same byte offsets as
//! the original: a range found in the folded text slices the original text, and
//! titles and descriptions keep the characters the document printed.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Traditional characters, sorted; `SIMPLIFIED` holds their Simplified forms, in order.
const TRADITIONAL: &str = concat!(
    "來倉個們備傳債價億優兒兩別則創劃劇劉動務勝勞勢勵勻區協參吳呂員問啟單嚴國園圖團執",
    "報場壞壽婦孫學實寧審寫將專對導屆屬島崗師幣幫幹幾庫廈廚廟廠廣廳張強彈彙後從復徵悅",
    "惡惱愛態慣慶憑憲憶應懲懷懸懼戀戰戲戶換揮損搖撥撫擁擇擊擔據擬擴擾攜攝敗數斷於時晉",
    "書會東條楊業極構樂樓標樣樹橋機檔檢櫃欄權歐歡歲歷歸殘殺殼氣氫決沖況洩淨淺減渦測湧",
    "湯準溝滅滬滯滲滿漁漢漲漸潔潛潤澆澤濃濕濟濫濱瀏灑灘灣災為煙煩熱燈燒營爭爺牆牘牽犧",
    "狀猶獄獅獎獨獲現瑤環璽瓊甕產畢畫當瘋療癥發皚盜盞盡監盤盧眾睜矯硯確碼磚礎礙礦禍禦",
    "禪禮稅稈種稱穀穌積穩窩窮竊竪競筆筍筧節範築簡簽籃籌籠粵糧紀約紅紋紐純紙級紛紡細終",
    "組絆結絕絡給統絲綁經綜綠綢維綱網緊緒線緣編緩練縣縫縮縱總績織繡繩繪繳繼續纖罰罷羅",
    "義習翹聖聞聯聰聲聳職聽肅脈腦腳膽臉臘臨臺與興舉舊艦艱艷芻莊華萬葉蒼蓋蓮蕭薦薩藍藝",
    "藥蘆蘇蘭處虛號蝦螞蟲蠟術衛衝裏補裝裡製複襲見規覓視親覺覽觀觸訂訃計訊討訓託記訝訟",
    "訣訪設許訴診詐評詞試詩話該詳誇誌認誕語誠誤說課誼調請諒論諮諸諾謀謂謊謎謙講謝謹證",
    "識譜譯議護譽讀變讓讚豈豐豬貓貝貞負財貢貧貨販貪貫責貴貶買貸費貼貿賀賄資賊賓賞賢賣",
    "質賬賭賴賺購賽贈贊贏贛趕趙趨跡踐蹤躍車軌軍軟軸較載輔輕輛輝輩輪輸轄轉辦辭農迴逕這",
    "連週進遊運過達違遙遜遞遠適遷選遺遼邊郵鄉鄒鄧鄭鄰醞醫釀釋針鈴鉛銀銅銘銷鋪鋼錄錢錦",
    "錯鍋鍛鍵鎖鎮鏈鏡鐘鐵鑑鑒鑰長門閃閉開閒間閘閣閩閱闆闊闖關陝陣陰陳陸陽隊階際隨險隱",
    "隻雖雙雛雜雞離難雲電霧靂靈靜韋韌韓響頁頂項順須預頒頓頗領頭頸頹頻顆題額顏願顛類顧",
    "顯風颱飄飛飢飯飲飼飽飾餃餅養餓館饒馬馮駁駐駕騎騙騰驅驕驗驚驟骯體鬆鬍鬥鬧魚魯鮮鯉",
    "鳥鳳鳴鴨鴻鵝鶴鷹鹽麗麥麵麼黃點黨黴齊齋齒齡龍龜",
);

/// The Simplified form of each character of `TRADITIONAL`.
const SIMPLIFIED: &str = concat!(
    "来仓个们备传债价亿优儿两别则创划剧刘动务胜劳势励匀区协参吴吕员问启单严国园图团执",
    "报场坏寿妇孙学实宁审写将专对导届属岛岗师币帮干几库厦厨庙厂广厅张强弹汇后从复征悦",
    "恶恼爱态惯庆凭宪忆应惩怀悬惧恋战戏户换挥损摇拨抚拥择击担据拟扩扰携摄败数断于时晋",
    "书会东条杨业极构乐楼标样树桥机档检柜栏权欧欢岁历归残杀壳气氢决冲况泄净浅减涡测涌",
    "汤准沟灭沪滞渗满渔汉涨渐洁潜润浇泽浓湿济滥滨浏洒滩湾灾为烟烦热灯烧营争爷墙牍牵牺",
    "状犹狱狮奖独获现瑶环玺琼瓮产毕画当疯疗症发皑盗盏尽监盘卢众睁矫砚确码砖础碍矿祸御",
    "禅礼税秆种称谷稣积稳窝穷窃竖竞笔笋笕节范筑简签篮筹笼粤粮纪约红纹纽纯纸级纷纺细终",
    "组绊结绝络给统丝绑经综绿绸维纲网紧绪线缘编缓练县缝缩纵总绩织绣绳绘缴继续纤罚罢罗",
    "义习翘圣闻联聪声耸职听肃脉脑脚胆脸腊临台与兴举旧舰艰艳刍庄华万叶苍盖莲萧荐萨蓝艺",
    "药芦苏兰处虚号虾蚂虫蜡术卫冲里补装里制复袭见规觅视亲觉览观触订讣计讯讨训托记讶讼",
    "诀访设许诉诊诈评词试诗话该详夸志认诞语诚误说课谊调请谅论咨诸诺谋谓谎谜谦讲谢谨证",
    "识谱译议护誉读变让赞岂丰猪猫贝贞负财贡贫货贩贪贯责贵贬买贷费贴贸贺贿资贼宾赏贤卖",
    "质账赌赖赚购赛赠赞赢赣赶赵趋迹践踪跃车轨军软轴较载辅轻辆辉辈轮输辖转办辞农回迳这",
    "连周进游运过达违遥逊递远适迁选遗辽边邮乡邹邓郑邻酝医酿释针铃铅银铜铭销铺钢录钱锦",
    "错锅锻键锁镇链镜钟铁鉴鉴钥长门闪闭开闲间闸阁闽阅板阔闯关陕阵阴陈陆阳队阶际随险隐",
    "只虽双雏杂鸡离难云电雾雳灵静韦韧韩响页顶项顺须预颁顿颇领头颈颓频颗题额颜愿颠类顾",
    "显风台飘飞饥饭饮饲饱饰饺饼养饿馆饶马冯驳驻驾骑骗腾驱骄验惊骤肮体松胡斗闹鱼鲁鲜鲤",
    "鸟凤鸣鸭鸿鹅鹤鹰盐丽麦面么黄点党霉齐斋齿龄龙龟",
);

static TABLE: LazyLock<HashMap<char, char>> =
    LazyLock::new(|| TRADITIONAL.chars().zip(SIMPLIFIED.chars()).collect());

/// The Simplified form of one character (itself when it has none in the table).
pub(crate) fn fold_char(c: char) -> char {
    TABLE.get(&c).copied().unwrap_or(c)
}

/// The text with every Traditional character of the table folded to Simplified.
/// The result has exactly the same length and byte offsets as `text`.
pub(crate) fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pairs_are_aligned_and_keep_byte_lengths() {
        assert_eq!(TRADITIONAL.chars().count(), SIMPLIFIED.chars().count());
        for (t, s) in TRADITIONAL.chars().zip(SIMPLIFIED.chars()) {
            assert_ne!(t, s);
            assert_eq!(t.len_utf8(), s.len_utf8(), "{t} -> {s}");
        }
        assert_eq!(
            TABLE.len(),
            TRADITIONAL.chars().count(),
            "a character is listed twice"
        );
    }

    #[test]
    fn folds_the_labels_plans_print() {
        assert_eq!(
            fold("責任單位：縣教育局、財政局"),
            "责任单位：县教育局、财政局"
        );
        assert_eq!(fold("牽頭單位"), "牵头单位");
        assert_eq!(fold("配合單位：相關部門"), "配合单位：相关部门");
        assert_eq!(fold("實施步驟"), "实施步骤");
    }

    #[test]
    fn folding_keeps_byte_offsets() {
        let text = "1.加強師資（責任單位：教育局）";
        assert_eq!(fold(text).len(), text.len());
    }
}
