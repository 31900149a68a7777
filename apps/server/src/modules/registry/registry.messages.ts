import { defineMessages } from '../../shared/messages.ts';

/** Error codes of the registry, 简体中文 first. Imported for its side effect by the module's index.ts. */
export const registryMessages = {
  REGISTRY_RESIDENT_NOT_FOUND: { zh: '未找到该居民', en: 'Resident not found' },
  REGISTRY_HOUSEHOLD_NOT_FOUND: { zh: '未找到该户', en: 'Household not found' },
  REGISTRY_COMPLEX_NOT_FOUND: { zh: '未找到该小区', en: 'Residential complex not found' },
  REGISTRY_BUILDING_NOT_FOUND: { zh: '未找到该楼栋', en: 'Building not found' },
  REGISTRY_UNIT_NOT_FOUND: { zh: '未找到该单元', en: 'Unit not found' },
  REGISTRY_DWELLING_NOT_FOUND: { zh: '未找到该房屋', en: 'Dwelling not found' },
  REGISTRY_ORGANISATION_NOT_FOUND: { zh: '未找到该单位', en: 'Organisation not found' },
  REGISTRY_JURISDICTION_NOT_FOUND: { zh: '未找到该辖区节点', en: 'Jurisdiction node not found' },
  REGISTRY_ASSIGNMENT_NOT_FOUND: { zh: '未找到该分配记录', en: 'Assignment not found' },

  REGISTRY_UNKNOWN_JURISDICTION: {
    zh: '所选辖区不存在、已撤销或不在您的管辖范围内',
    en: 'The jurisdiction does not exist, is retired or is outside your scope',
  },
  REGISTRY_UNKNOWN_COMPLEX: { zh: '所选小区不存在或不在您的管辖范围内', en: 'Unknown residential complex' },
  REGISTRY_UNKNOWN_BUILDING: { zh: '所选楼栋不存在或不在您的管辖范围内', en: 'Unknown building' },
  REGISTRY_UNKNOWN_UNIT: { zh: '所选单元不存在或不属于该楼栋', en: 'Unknown unit, or not in this building' },
  REGISTRY_UNKNOWN_DWELLING: { zh: '所选房屋不存在或不在您的管辖范围内', en: 'Unknown dwelling' },
  REGISTRY_UNKNOWN_HOUSEHOLD: { zh: '所选户不存在或不在您的管辖范围内', en: 'Unknown household' },
  REGISTRY_UNKNOWN_USER: { zh: '所选用户不存在或不在您的管辖范围内', en: 'Unknown user' },
  REGISTRY_UNKNOWN_RESIDENT: { zh: '该居民不是本户成员', en: 'That resident is not a member of this household' },
  REGISTRY_LEVEL_INVALID: { zh: '小区只能登记在社区或网格下', en: 'A complex belongs to a community or a grid' },
  REGISTRY_GRID_REQUIRED: { zh: '请选择楼栋所在的网格', en: 'Choose the grid the building is in' },
  REGISTRY_PLACE_REQUIRED: {
    zh: '请选择房屋，或选择所在网格/社区',
    en: 'Choose a dwelling, or the grid or community',
  },
  REGISTRY_COMPLEX_MISMATCH: { zh: '楼栋所在网格不属于该小区所在辖区', en: 'The grid is outside the complex' },
  REGISTRY_DWELLING_MISMATCH: { zh: '该房屋不在所选楼栋内', en: 'The dwelling is not in that building' },
  REGISTRY_COORDINATES_PAIR: { zh: '经度和纬度须同时填写', en: 'Give both longitude and latitude, or neither' },

  REGISTRY_ID_FORMAT: { zh: '身份证号应为18位，末位可为X', en: 'An ID number has 17 digits and a digit or X' },
  REGISTRY_ID_REGION: { zh: '身份证号的地区码无效', en: 'The ID number has an unknown region code' },
  REGISTRY_ID_BIRTH_DATE: {
    zh: '身份证号中的出生日期无效（须为1900年以后的真实日期，且不晚于今天）',
    en: 'The birth date in the ID number is impossible (a real date from 1900 to today)',
  },
  REGISTRY_ID_CHECK_DIGIT: { zh: '身份证号校验位错误，请核对', en: 'The ID number’s check digit is wrong' },
  REGISTRY_DOCUMENT_FORMAT: { zh: '证件号码格式不正确', en: 'The document number has the wrong format' },
  REGISTRY_ID_SEX_MISMATCH: { zh: '性别与身份证号不符', en: 'The sex does not match the ID number' },
  REGISTRY_ID_BIRTH_MISMATCH: { zh: '出生日期与身份证号不符', en: 'The birth date does not match the ID number' },
  REGISTRY_BIRTH_DATE_INVALID: {
    zh: '出生日期须为1900年以后的真实日期，且不晚于今天',
    en: 'The birth date must be a real date from 1900 to today',
  },
  REGISTRY_PHONE_INVALID: { zh: '手机号码格式不正确', en: 'The mobile number is not valid' },
  REGISTRY_USCC_INVALID: {
    zh: '统一社会信用代码格式或校验位不正确',
    en: 'The unified social credit code is malformed or its check character is wrong',
  },
  REGISTRY_DATE_FORMAT: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  REGISTRY_ARRIVAL_REQUIRED: { zh: '流动人口须填写来本地日期', en: 'Floating residents need an arrival date' },
  REGISTRY_DATES_ORDER: { zh: '预计离开日期不能早于来本地日期', en: 'The expected leave date is before arrival' },
  REGISTRY_DATE_IN_FUTURE: { zh: '该日期不能晚于今天', en: 'This date cannot be in the future' },
  REGISTRY_RELATION_REQUIRED: {
    zh: '选择户时须填写与户主关系，反之亦然',
    en: 'A household and the relation to its head go together',
  },
  REGISTRY_CURSOR_INVALID: { zh: '分页参数无效', en: 'Invalid page cursor' },

  REGISTRY_ID_NUMBER_EXISTS: { zh: '该证件号码已登记', en: 'This document number is already registered' },
  REGISTRY_ID_NUMBER_ELSEWHERE: {
    zh: '该证件号码已在其他辖区登记为在册居民，请联系原社区办理迁出',
    en: 'This person is registered as living elsewhere; ask that community to end the residence first',
  },
  REGISTRY_HOUSEHOLD_HEAD_EXISTS: { zh: '该户已有户主', en: 'This household already has a head' },
  REGISTRY_NAME_TAKEN: { zh: '同一位置下已有同名记录', en: 'Something with this name already exists here' },
  REGISTRY_USCC_TAKEN: { zh: '该统一社会信用代码已登记', en: 'This credit code is already registered' },
  REGISTRY_HOUSEHOLD_NUMBER_TAKEN: { zh: '该户号已存在', en: 'This household number is taken' },
  REGISTRY_RESIDENT_ENDED: {
    zh: '该居民的居住登记已注销，不能修改',
    en: 'This residence has ended and can no longer be changed',
  },
  REGISTRY_ASSIGNMENT_ROLE: { zh: '该用户没有相应角色', en: 'The user does not hold the role for this' },
  REGISTRY_ASSIGNMENT_SCOPE: {
    zh: '该用户的辖区不包含此网格或楼栋',
    en: 'The user’s jurisdiction does not include this grid or building',
  },
  REGISTRY_CARE_TAGS_FORBIDDEN: {
    zh: '您的角色不能查看或修改关怀标签',
    en: 'Your role may not see or change care tags',
  },
  REGISTRY_REVEAL_LIMIT: {
    zh: '今日查看完整信息已达 {limit} 次上限，请明日再试',
    en: 'You have revealed full values {limit} times today, the daily limit; try again tomorrow',
  },

  REGISTRY_BOUNDARY_INVALID: {
    zh: '网格边界文件有误，未导入任何边界，请按提示修改后重试',
    en: 'The boundary file has problems; nothing was imported',
  },
  REGISTRY_BOUNDARY_CODE_MISSING: {
    zh: '要素缺少网格代码（properties.code）',
    en: 'The feature has no grid code (properties.code)',
  },
  REGISTRY_BOUNDARY_CODE_DUPLICATE: { zh: '文件中该网格代码重复出现', en: 'This grid code appears twice in the file' },
  REGISTRY_BOUNDARY_UNKNOWN_GRID: {
    zh: '网格代码不存在、已撤销或不在您的管辖范围内',
    en: 'No such grid in your scope (unknown, retired or not a grid)',
  },
  REGISTRY_BOUNDARY_OVERLAP: { zh: '与其他网格的边界重叠', en: 'Overlaps another grid' },
  REGISTRY_GEOMETRY_TYPE: {
    zh: '几何类型须为 Polygon 或 MultiPolygon',
    en: 'The geometry must be a Polygon or MultiPolygon',
  },
  REGISTRY_GEOMETRY_INVALID: {
    zh: '多边形无效（环须闭合、至少3个不同点、面积不为零、坐标在有效范围内）',
    en: 'Invalid polygon (rings closed, at least 3 distinct points, non-zero area, coordinates in range)',
  },
  REGISTRY_GEOMETRY_SELF_INTERSECTS: { zh: '多边形自相交', en: 'The polygon intersects itself' },
  REGISTRY_GEOMETRY_HOLE_OUTSIDE: { zh: '多边形的内环不在外环之内', en: 'A hole lies outside its polygon' },
  REGISTRY_GEOMETRY_TOO_LARGE: { zh: '多边形顶点过多', en: 'The polygon has too many vertices' },
  REGISTRY_IMPORT_FORMAT: {
    zh: '无法识别的文件格式，请上传 .xlsx 或 .csv 文件',
    en: 'Unrecognised file format: upload an .xlsx or .csv file',
  },
  REGISTRY_IMPORT_XLS: {
    zh: '不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 或 .csv 后再导入',
    en: 'Old .xls files are not supported: save as .xlsx or .csv in Excel first',
  },
  REGISTRY_IMPORT_HEADER_MISSING: {
    zh: '文件缺少必需的列：{columns}（请使用导入模板）',
    en: 'The file lacks required columns: {columns} (use the import template)',
  },
  REGISTRY_IMPORT_FILE_INVALID: { zh: '文件已损坏或无法读取', en: 'The file is damaged or cannot be read' },
  REGISTRY_IMPORT_FILE_MISSING: { zh: '请上传要导入的文件', en: 'Upload the file to import' },
  REGISTRY_IMPORT_TOO_LARGE: { zh: '文件过大（上限 {mb} MB）', en: 'The file is too large (limit {mb} MB)' },
  REGISTRY_IMPORT_NOT_FOUND: { zh: '未找到该导入任务', en: 'Import not found' },
  REGISTRY_IMPORT_NO_ERRORS: {
    zh: '该导入没有错误行，或错误文件已过期删除',
    en: 'This import has no rejected rows, or their workbook has expired',
  },
  REGISTRY_IMPORT_BUSY: {
    zh: '正在进行的导入过多，请稍后再试',
    en: 'Too many imports are running; try again shortly',
  },
  REGISTRY_IMPORT_LEVEL: {
    zh: '请选择社区、网格或其上级辖区作为导入范围',
    en: 'Choose a community, grid or a higher node as the import scope',
  },
  REGISTRY_IMPORT_INTERRUPTED: {
    zh: '导入被中断（服务重启）；已写入的行已保存，重新导入同一文件即可继续',
    en: 'The import was interrupted (server restart); rows written are kept, import the same file again to finish',
  },

  REGISTRY_ROW_REQUIRED: { zh: '不能为空', en: 'is required' },
  REGISTRY_ROW_TOO_LONG: { zh: '超过 {max} 个字符', en: 'is longer than {max} characters' },
  REGISTRY_ROW_ENUM: { zh: '“{value}”无法识别，可填：{allowed}', en: '"{value}" is not recognised; use: {allowed}' },
  REGISTRY_ROW_DATE: {
    zh: '日期无效（应为真实日期，如 1990-03-15）',
    en: 'Invalid date (a real date such as 1990-03-15)',
  },
  REGISTRY_ROW_NUMBER_CELL: {
    zh: '证件号码被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新填写',
    en: 'Excel stored the ID number as a number and lost its last digits; format the column as text and type it again',
  },
  REGISTRY_ROW_DUPLICATE: {
    zh: '证件号码在文件中重复（与第 {row} 行相同）',
    en: 'The ID number appears twice in the file (same as row {row})',
  },
  REGISTRY_ROW_UNKNOWN_COMPLEX: {
    zh: '小区“{complex}”在所选辖区中不存在',
    en: 'No complex "{complex}" in the chosen jurisdiction',
  },
  REGISTRY_ROW_UNKNOWN_BUILDING: {
    zh: '楼栋“{building}”在所选辖区中不存在（请先在房屋登记中添加）',
    en: 'No building "{building}" in the chosen jurisdiction (register it first)',
  },
  REGISTRY_ROW_AMBIGUOUS_BUILDING: {
    zh: '楼栋“{building}”在所选辖区中有多处，请填写小区',
    en: 'Several buildings are called "{building}" here: fill in the complex',
  },
  REGISTRY_ROW_UNKNOWN_UNIT: {
    zh: '单元“{unit}”在该楼栋中不存在',
    en: 'No unit "{unit}" in that building',
  },
  REGISTRY_ROW_PLACE_REQUIRED: {
    zh: '所选辖区不是社区或网格，须填写楼栋',
    en: 'The chosen node is above community level: fill in the building',
  },
  REGISTRY_ROW_ROOM_WITHOUT_BUILDING: { zh: '填写房号时须填写楼栋', en: 'A room needs its building' },
  REGISTRY_ROW_HOUSEHOLD_ELSEWHERE: {
    zh: '户号“{number}”已属于其他房屋或不在您的管辖范围内',
    en: 'Household "{number}" belongs to another dwelling or lies outside your scope',
  },
  REGISTRY_ROW_CARE_FORBIDDEN: {
    zh: '您的角色不能导入关怀标签，请清空该列',
    en: 'Your role may not import care tags: empty that column',
  },

  REGISTRY_EXPORT_APPROVAL_NOT_FOUND: { zh: '未找到该导出审批单', en: 'Export approval not found' },
  REGISTRY_EXPORT_APPROVAL_INVALID: {
    zh: '导出审批单无效：须为本人申请、已批准、未使用、未过期且与导出范围一致',
    en: 'The approval is not valid: it must be yours, approved, unused, unexpired and for this jurisdiction',
  },
  REGISTRY_EXPORT_APPROVAL_SELF: { zh: '不能审批自己的申请', en: 'You cannot decide your own request' },
  REGISTRY_EXPORT_APPROVAL_DECIDED: { zh: '该申请已处理', en: 'This request has already been decided' },
} as const;

export type RegistryCode = keyof typeof registryMessages;

defineMessages(registryMessages);
