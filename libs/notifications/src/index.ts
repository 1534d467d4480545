export * from './message';
export * from './message-id';
export * from './templates';
export * from './channels/email.channel';
export * from './channels/wecom.channel';
export * from './channels/dingtalk.channel';
export * from './channels/webhook.channel';
export * from './channels/http-post';
