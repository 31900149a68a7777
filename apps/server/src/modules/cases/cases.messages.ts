import { defineMessages } from '../../shared/messages.ts';

/** Error codes of the cases module, 简体中文 first. Imported for its effect by the module's index.ts. */
defineMessages({
  CASES_NOT_FOUND: { zh: '未找到该事件', en: 'Case not found' },
  CASES_ILLEGAL_TRANSITION: {
    zh: '事件当前状态为「{fromLabel}」，不能执行「{actionLabel}」',
    en: 'A case in state "{from}" cannot be moved to "{to}" ({action})',
  },
  CASES_ACTION_FORBIDDEN: {
    zh: '只有事件的承办人、责任人或有审批权的人员可以执行此操作',
    en: 'Only the assignee, the owner or an approver may do this',
  },
  CASES_REASON_REQUIRED: { zh: '请填写原因', en: 'A reason is required' },
  CASES_PHOTOS_REQUIRED: {
    zh: '处置反馈须附处置照片（本事件已上传的图片）',
    en: 'Reporting a case handled needs photos uploaded to this case',
  },
  CASES_CHECK_RESULT_REQUIRED: { zh: '请填写核查结果', en: 'A check result is required' },
  CASES_ASSIGNEE_INVALID: {
    zh: '承办人须为在岗工作人员，且其辖区包含该事件',
    en: 'The assignee must be an active staff member whose jurisdiction covers the case',
  },
  CASES_REOPEN_WINDOW_PASSED: {
    zh: '结案已超过 {days} 天，不能再重启或评价',
    en: 'More than {days} days have passed since the case was closed',
  },
  CASES_CATEGORY_NOT_FOUND: { zh: '未找到该事件类别', en: 'Category not found' },
  CASES_CATEGORY_NOT_LEAF: { zh: '请选择小类', en: 'Choose a subcategory (小类)' },
  CASES_CATEGORY_INACTIVE: { zh: '该事件类别已停用', en: 'This category is no longer in use' },
  CASES_CATEGORY_CODE_TAKEN: { zh: '类别代码已存在', en: 'This category code is taken' },
  CASES_CATEGORY_INVALID: {
    zh: '类别设置不正确：大类不设紧急程度，小类须设紧急程度',
    en: 'A main category has no urgency; a subcategory needs one',
  },
  CASES_EXTRA_FIELDS_INVALID: { zh: '附加信息填写不正确', en: 'The extra fields are not valid' },
  CASES_LOCATION_REQUIRED: {
    zh: '无法确定事件所属网格或社区，请提供位置或所属辖区',
    en: 'Cannot tell which grid or community the case belongs to: give a location or a jurisdiction',
  },
  CASES_JURISDICTION_INVALID: {
    zh: '事件须归属于您辖区内的社区或网格',
    en: 'A case belongs to a community or grid within your jurisdiction',
  },
  CASES_SOURCE_NOT_ALLOWED: { zh: '您的角色不能以该来源上报事件', en: 'Your role cannot report from this source' },
  CASES_CALLER_REQUIRED: {
    zh: '热线登记须填写来电人姓名和电话',
    en: "A hotline entry needs the caller's name and phone",
  },
  CASES_MERGE_INVALID: {
    zh: '只能把未立案的事件合并到同一小类的另一件未结事件',
    en: 'Only a case not yet accepted can be merged, into another open case of the same subcategory',
  },
  CASES_ATTACHMENT_NOT_FOUND: { zh: '未找到该附件', en: 'Attachment not found' },
  CASES_ATTACHMENT_TYPE: {
    zh: '只接受 JPG、PNG 图片和 PDF 文件',
    en: 'Only JPG and PNG images and PDF files are accepted',
  },
  CASES_ATTACHMENT_CLOSED: { zh: '事件已结束，不能再上传附件', en: 'The case is finished: no more attachments' },
  CASES_DEPARTMENT_NOT_FOUND: { zh: '未找到该部门', en: 'Department not found' },
  CASES_DEPARTMENT_NAME_TAKEN: {
    zh: '该辖区已有同名部门',
    en: 'This jurisdiction already has a department of that name',
  },
  CASES_CALENDAR_INVALID: {
    zh: '日历日期须属于所编辑的年份且不重复',
    en: 'Calendar days must lie in the year edited and appear once',
  },
  PATROL_NOT_FOUND: { zh: '未找到该巡查记录', en: 'Patrol not found' },
  PATROL_ENDED: { zh: '该巡查已结束', en: 'This patrol has ended' },
  PATROL_TOO_MANY_POINTS: { zh: '巡查轨迹点过多', en: 'Too many route points for one patrol' },
  FIELDWORK_NOT_FOUND: { zh: '未找到该记录', en: 'Record not found' },
  NOTIFICATION_NOT_FOUND: { zh: '未找到该通知', en: 'Notification not found' },
});
