import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('confirmation-matching', 13002);
