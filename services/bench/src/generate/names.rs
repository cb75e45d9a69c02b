//! Names of bureaus and measures for the generated log.

/// Bureaus (局) of a county government.
pub(crate) const BUREAUS: [&str; 12] = [
    "教育",
    "财政",
    "发展和改革",
    "自然资源",
    "住房和城乡建设",
    "人力资源和社会保障",
    "卫生健康",
    "公安",
    "应急管理",
    "市场监督管理",
    "文化体育和旅游",
    "机关事务管理",
];

/// Headings of measures.
pub(crate) const MEASURES: [&str; 6] = [
    "推进学校标准化建设",
    "加强教师队伍建设",
    "完善功能教室配置",
    "落实课后服务",
    "推进智慧校园建设",
    "改善学校食堂条件",
];
