import { defineMessages } from '../../shared/messages.ts';

/** Error messages of the Open311 interface and of API keys, 简体中文 first. */
defineMessages({
  OPEN311_NOT_FOUND: { zh: '请求的 Open311 资源不存在', en: 'No such Open311 resource' },
  OPEN311_KEY_REQUIRED: { zh: '缺少 api_key', en: 'api_key is required' },
  OPEN311_KEY_INVALID: { zh: 'api_key 无效或已吊销', en: 'The api_key is invalid or revoked' },
  OPEN311_PARAM_REQUIRED: { zh: '缺少必填参数 {name}', en: 'The parameter {name} is required' },
  OPEN311_PARAM_INVALID: { zh: '参数 {name} 的值无效', en: 'The parameter {name} has an invalid value' },
  OPEN311_DATE_INVALID: {
    zh: '参数 {name} 须为带时区的 W3C 日期时间（如 2026-03-02T09:00:00+08:00）',
    en: 'The parameter {name} must be a W3C datetime with a timezone (e.g. 2026-03-02T09:00:00+08:00)',
  },
  OPEN311_DATE_RANGE: {
    zh: '时间范围不能超过 {days} 天，且 start_date 不能晚于 end_date',
    en: 'The date range may not span more than {days} days, and start_date may not be after end_date',
  },
  OPEN311_LOCATION_REQUIRED: {
    zh: '须提供位置：lat 与 long、address_string 或 address_id',
    en: 'A location is required: lat and long, address_string or address_id',
  },
  OPEN311_LOCATION_UNPLACED: {
    zh: '无法确定该位置所属的网格或社区：请提供 address_id（网格或社区代码）',
    en: 'The location could not be placed in a grid or community: send address_id (the code of a grid or community)',
  },
  OPEN311_LOCATION_OUT_OF_SCOPE: {
    zh: '该位置不在此 api_key 的辖区内',
    en: 'The location is outside the jurisdiction of this api_key',
  },
  OPEN311_SERVICE_NOT_FOUND: { zh: '未找到该服务（事件小类）', en: 'No such service' },
  OPEN311_SERVICE_NOT_HERE: {
    zh: '该服务（事件小类）不适用于此位置',
    en: 'This service is not offered at this location',
  },
  OPEN311_ATTRIBUTE_INVALID: {
    zh: '服务属性 {name} 缺失或取值无效',
    en: 'The attribute {name} is missing or has an invalid value',
  },
  OPEN311_JURISDICTION_NOT_FOUND: { zh: '未找到该辖区（jurisdiction_id）', en: 'No such jurisdiction_id' },
  OPEN311_REQUEST_NOT_FOUND: { zh: '未找到该服务请求', en: 'No such service request' },
  OPEN311_TOKEN_NOT_FOUND: { zh: '未找到该 token', en: 'No such token' },
  OPEN311_KEY_NOT_FOUND: { zh: '未找到该 API 密钥', en: 'API key not found' },
  OPEN311_KEY_ALREADY_REVOKED: { zh: '该 API 密钥已吊销', en: 'This API key is already revoked' },
  OPEN311_KEY_JURISDICTION_INVALID: {
    zh: 'API 密钥的辖区须为有效的辖区节点',
    en: 'An API key needs an active jurisdiction node',
  },
});
